//go:build cgo && linux

package main

import (
	"database/sql"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReleaseArm64Demo is make release-test: on a clean clone of this
// repository's last commit, make release builds the full ufa for
// linux/amd64 and linux/arm64 (cross-compiled) and the validators; the
// arm64 build runs `ufa demo` at a small scale under qemu-user (directly on
// an ARM64 host), the amd64 build the same demo, and the two warehouses
// must hold the same rows and, within rounding, the same indicator values.
// It takes minutes (the emulated demo is most of it), so make test skips it.
func TestReleaseArm64Demo(t *testing.T) {
	if os.Getenv("UFA_RELEASE_TEST") == "" {
		t.Skip("make release-test runs this (a cross build and ufa demo under qemu-user take minutes)")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("git rev-parse: %v", err)
	}
	work := t.TempDir()
	clone := filepath.Join(work, "ufa")
	runIn(t, "", "git", "clone", "--quiet", "--no-hardlinks", strings.TrimSpace(string(top)), clone)
	runIn(t, clone, "make", "release")

	bin := filepath.Join(clone, "bin")
	for file, machine := range map[string]elf.Machine{"ufa-linux-amd64": elf.EM_X86_64, "ufa-linux-arm64": elf.EM_AARCH64} {
		f, err := elf.Open(filepath.Join(bin, file))
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != machine {
			t.Errorf("%s is for %v, not %v", file, f.Machine, machine)
		}
		// The oldest C and C++ runtimes it needs are what docs/scale.md
		// promises (glibc 2.34, the libstdc++ of GCC 12).
		syms, err := f.ImportedSymbols()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range syms {
			for prefix, most := range map[string]string{"GLIBC_": "2.34", "GLIBCXX_": "3.4.30"} {
				if v, ok := strings.CutPrefix(s.Version, prefix); ok && versionAfter(v, most) {
					t.Errorf("%s needs %s %s (%s), docs/scale.md says %s at most", file, prefix, v, s.Name, most)
				}
			}
		}
		f.Close()
	}
	if v, _ := filepath.Glob(filepath.Join(bin, "ufa-validator*")); len(v) == 0 {
		t.Error("make release wrote no validator build")
	}
	if sums, err := os.ReadFile(filepath.Join(bin, "SHA256SUMS")); err != nil || !strings.Contains(string(sums), "ufa-linux-arm64") {
		t.Errorf("SHA256SUMS: %v\n%s", err, sums)
	}

	arm := []string{filepath.Join(bin, "ufa-linux-arm64")}
	if runtime.GOARCH != "arm64" {
		// cortex-a53: ARMv8.0, nothing newer than the oldest servers'
		// cores (Phytium FT-2000+); qemu's default CPU has every extension.
		arm = append([]string{"qemu-aarch64", "-cpu", "cortex-a53", "-L", "/usr/aarch64-linux-gnu"}, arm...)
	}
	amd := []string{filepath.Join(bin, "ufa-linux-amd64")}
	if runtime.GOARCH != "amd64" {
		amd = append([]string{"qemu-x86_64", "-L", "/usr/x86_64-linux-gnu"}, amd...)
	}
	demos := map[string]string{}
	for name, cmd := range map[string][]string{"arm64": arm, "amd64": amd} {
		dir := filepath.Join(work, "demo-"+name)
		start := time.Now()
		out := runIn(t, work, append(cmd, "demo", "--dir", dir, "--scale", "0.01")...)
		t.Logf("%s demo: %s", name, time.Since(start).Round(time.Second))
		if !strings.Contains(out, "演示完成") {
			t.Errorf("%s demo did not finish:\n%s", name, out)
		}
		for _, f := range []string{"out/2026-12/dashboards/index.html", "out/2026-12/2026-12_考核报告.xlsx", "报送模板.xlsx"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s demo: %v", name, err)
			}
		}
		demos[name] = filepath.Join(dir, "ufa.duckdb")
	}

	// The two warehouses, read here by the test's own DuckDB.
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, path := range demos {
		if _, err := db.Exec("ATTACH '" + strings.ReplaceAll(path, "'", "''") + "' AS " + strings.ReplaceAll(name, "64", "") + " (READ_ONLY)"); err != nil {
			t.Fatal(err)
		}
	}
	same := map[string]string{
		// received_at is when the demo ran.
		"submissions":     "id, file_name, sha256, city_code, city_name, month, filed_on, outcome, errors, warnings, superseded_by, same_as",
		"findings":        "*",
		"cover":           "*",
		"organizations":   "*",
		"representatives": "*",
		"activities":      "*",
		"participants":    "*",
		"suggestions":     "*",
		"nominations":     "*",
		"mechanisms":      "*",
	}
	for table, cols := range same {
		var n, diff int64
		q := "WITH a AS (SELECT " + cols + " FROM arm." + table + "), b AS (SELECT " + cols + " FROM amd." + table + ") " +
			"SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM ((FROM a EXCEPT ALL FROM b) UNION ALL (FROM b EXCEPT ALL FROM a)))"
		if err := db.QueryRow(q).Scan(&n, &diff); err != nil {
			t.Errorf("%s: %v", table, err)
			continue
		}
		if diff != 0 || n == 0 && table != "findings" && table != "nominations" && table != "suggestions" {
			t.Errorf("%s: %d rows in the arm64 demo, %d differ from the amd64 demo", table, n, diff)
		}
	}
	// Indicator values are computed in floating point on each machine.
	var n, nb, diff int64
	err = db.QueryRow(`SELECT (SELECT count(*) FROM arm.indicator_values), (SELECT count(*) FROM amd.indicator_values),
		(SELECT count(*) FROM arm.indicator_values a FULL JOIN amd.indicator_values b USING (month, city_code, indicator)
		 WHERE a.city_code IS NULL OR b.city_code IS NULL OR (a.value IS NULL) <> (b.value IS NULL)
		    OR abs(a.value - b.value) > 1e-9 * greatest(1, abs(b.value)))`).Scan(&n, &nb, &diff)
	if err != nil || n == 0 || n != nb || diff != 0 {
		t.Errorf("indicator values: %d (arm64), %d (amd64), %d differ (%v)", n, nb, diff, err)
	}
}

// versionAfter reports whether dotted version a is later than b.
func versionAfter(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x > y
		}
	}
	return false
}

// runIn runs a command in dir and returns its output, failing the test
// when it fails.
func runIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
