package main

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ufa/internal/testing/testbook"
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
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-X main.version=v9.9.9-test -X main.commit=abc1234", "-o", bin, ".")
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
		{"version", []string{"--version"}, 0, "v9.9.9-test（提交 abc1234"},
		// A workbook given without a command, as Windows does on a drop:
		// validated, its copy beside it; stdin is /dev/null, so no wait.
		{"dropped", []string{bad}, 1, "已在原文件旁写出标注副本"},
		{"double-clicked", nil, 2, "拖到本程序的图标上"},
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
			if code != c.code || !strings.Contains(out.String(), c.want) || strings.Contains(out.String(), "按回车键") {
				t.Errorf("ufa %v: exit %d, want %d; output should contain %q:\n%s", c.args, code, c.code, c.want, out.String())
			}
		})
	}

	// Standard input a pipe that stays open (as in many CI runners): the
	// program must not wait for Enter on it.
	t.Run("stdin an open pipe", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		defer r.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, good)
		cmd.Stdin = r
		out, err := cmd.CombinedOutput()
		if ctx.Err() != nil {
			t.Fatalf("waited on a pipe no one writes to:\n%s", out)
		}
		if err != nil || !strings.Contains(string(out), "可以上报") {
			t.Errorf("exit %v:\n%s", err, out)
		}
	})
}

// TestLinuxBinariesStatic builds the arm64 and loong64 validators as make
// validator does and checks they are static ELF files for their machine:
// they cannot run here without qemu-user, but a dynamic one would not run
// on a UOS or Kylin PC.
func TestLinuxBinariesStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	for _, c := range []struct {
		arch    string
		machine elf.Machine
	}{{"arm64", elf.EM_AARCH64}, {"loong64", elf.EM_LOONGARCH}} {
		t.Run(c.arch, func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "ufa-validator-linux-"+c.arch)
			build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
			build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+c.arch)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("build: %v\n%s", err, out)
			}
			f, err := elf.Open(bin)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != c.machine {
				t.Errorf("machine %v, want %v", f.Machine, c.machine)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
					t.Errorf("dynamically linked (%v)", p.Type)
				}
			}
			if qemu, err := exec.LookPath("qemu-" + map[string]string{"arm64": "aarch64", "loong64": "loongarch64"}[c.arch]); err == nil {
				out, err := exec.Command(qemu, bin, "--version").CombinedOutput()
				if err != nil || !strings.Contains(string(out), "ufa") {
					t.Errorf("under %s: %v\n%s", qemu, err, out)
				}
			}
		})
	}
}
