package main

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"ufa/internal/testbook"
)

// TestPortableValidator builds ufa the way `make validator` does (no cgo,
// so no database) and runs the static binary on a valid and a flawed
// workbook: it must validate, write a template and refuse the warehouse
// commands with a clear message.
func TestPortableValidator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the static binary is checked on Linux")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ufa-validator")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 build: %v\n%s", err, out)
	}

	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the validator is dynamically linked (has an ELF interpreter)")
		}
	}
	libs, _ := f.ImportedLibraries()
	f.Close()
	if len(libs) > 0 {
		t.Errorf("the validator links shared libraries: %v", libs)
	}

	good, err := testbook.Valid().WriteIn(dir, testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	badBook := testbook.Valid()
	badBook.Set("社会组织", 0, "统一社会信用代码", "51210100MJ0000018W")
	bad, err := badBook.WriteIn(dir, "bad.xlsx")
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"valid", []string{"validate", good}, 0, "0 个错误"},
		{"flawed", []string{"validate", "--json", bad}, 1, `"E_CREDIT_CODE"`},
		{"template", []string{"template", "--city", "大连市", "--month", "2026-10", "-o", filepath.Join(dir, "t.xlsx")}, 0, "t.xlsx"},
		{"no database", []string{"ingest", good}, 2, "完整版"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code || !strings.Contains(out.String(), c.want) {
				t.Errorf("ufa %v: exit %d, want %d; output should contain %q:\n%s", c.args, code, c.code, c.want, out.String())
			}
		})
	}
}
