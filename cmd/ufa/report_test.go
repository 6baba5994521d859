//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReportCommand(t *testing.T) {
	db := queryWarehouse(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "考核情况_2026-10.xlsx")
	code, stdout, errs := runUFA("report", "--db", db, "--month", "2026-10", "-o", out)
	if code != exitOK || !strings.Contains(stdout, out) {
		t.Fatalf("exit %d: %s%s", code, stdout, errs)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 7 || sheets[0] != "排名" || sheets[6] != "报送情况" {
		t.Errorf("sheets %v", sheets)
	}
	rows, _ := f.GetRows("排名")
	if len(rows) != 4+14+1 || rows[4][1] == "" || rows[len(rows)-1][1] != "辽宁省" {
		t.Errorf("ranking: %d rows, first %v", len(rows), rows[4])
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
	// Writing again gives the same bytes.
	again := filepath.Join(dir, "again.xlsx")
	if code, _, errs := runUFA("report", "--db", db, "--month", "2026-10", "-o", again); code != exitOK {
		t.Fatalf("again: %s", errs)
	}
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(again)
	if string(a) != string(b) {
		t.Error("two reports of the same warehouse differ")
	}
}

func TestReportCommandRefuses(t *testing.T) {
	db := queryWarehouse(t)
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-o", filepath.Join(dir, "r.xlsx")}, "缺少 --month"},
		{[]string{"--month", "2026-10"}, "缺少 -o"},
		{[]string{"--month", "2026-13", "-o", filepath.Join(dir, "r.xlsx")}, "2026-13"},
		{[]string{"--month", "2026-10", "-o", filepath.Join(dir, "r.pdf")}, ".xlsx"},
		{[]string{"--month", "2026-09", "-o", filepath.Join(dir, "r.xlsx")}, "ufa metrics --month 2026-09"},
		{[]string{"--month", "2026-10", "-o", filepath.Join(dir, "none", "r.xlsx")}, "无法写出报告"},
		{[]string{"--month", "2026-10", "-o", filepath.Join(dir, "r.xlsx"), "extra"}, "多余的参数"},
	}
	for _, tc := range tests {
		code, _, errs := runUFA(append([]string{"report", "--db", db}, tc.args...)...)
		if code != exitFailed || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left: %v", entries)
	}
}
