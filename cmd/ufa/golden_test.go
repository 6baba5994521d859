//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ufa/internal/testing/golden"
)

// The deterministic outputs of the command line, held to testdata/golden/
// (`make golden` rewrites them; the diff is reviewed like code). The data are
// two generated months at a small scale, with every fault workbook.
//
// goldenGen writes them into a fresh folder and moves the test there, so that
// every path the outputs name is relative and the same on every machine.
func goldenGen(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	if code, _, errs := runCmd(t, "gen", "--out", "in", "--from", "2026-02", "--to", "2026-03", "--scale", "0.01", "--seed", "7", "--faults"); code != exitOK {
		t.Fatalf("gen: exit %d: %s", code, errs)
	}
}

// goldenFaults lists the fault workbooks, sorted.
func goldenFaults(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("in", "faults", "*.xlsx"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fault workbooks: %v", err)
	}
	slices.Sort(files)
	return files
}

func TestGoldenValidate(t *testing.T) {
	goldenGen(t)
	faults := goldenFaults(t)
	code, out, errs := runCmd(t, append([]string{"validate", "--json"}, faults...)...)
	if code != exitFindings {
		t.Fatalf("validate --json of the fault set: exit %d, want %d: %s", code, exitFindings, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	slices.Sort(lines)
	golden.Check(t, "validate/faults.jsonl", []byte(strings.Join(lines, "\n")+"\n"))

	code, out, _ = runCmd(t, append([]string{"validate"}, faults...)...)
	if code != exitFindings {
		t.Fatalf("validate of the fault set: exit %d", code)
	}
	golden.Check(t, "validate/faults.txt", []byte(out))

	code, _, errs = runCmd(t, append([]string{"validate", "--annotate", "annotated"}, faults...)...)
	if code != exitFindings {
		t.Fatalf("validate --annotate: exit %d: %s", code, errs)
	}
	copies, err := filepath.Glob(filepath.Join("annotated", "*.xlsx"))
	if err != nil || len(copies) < len(faults)-1 { // the unreadable file has no copy
		t.Fatalf("annotated copies: %d for %d faults (%v)", len(copies), len(faults), err)
	}
	for _, c := range copies {
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		golden.CheckBinary(t, "annotate/"+strings.TrimSuffix(filepath.Base(c), ".xlsx")+".txt", b, golden.XLSX)
	}
}

func TestGoldenTemplate(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"template/blank.txt", []string{"template", "-o", "t.xlsx"}},
		{"template/沈阳市_2026-10.txt", []string{"template", "--city", "沈阳市", "--month", "2026-10", "-o", "t.xlsx"}},
	} {
		os.Remove("t.xlsx")
		if code, _, errs := runCmd(t, tc.args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errs)
		}
		b, err := os.ReadFile("t.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		golden.CheckBinary(t, tc.name, b, golden.XLSX)
	}
}

// TestGoldenMonthlyJob runs both generated months through ufa run and holds
// every dashboard page, the report and the annotated copies of rejected
// workbooks.
