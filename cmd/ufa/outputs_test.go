//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestNoOutputOverAnInput: every writing command refuses the warehouse,
// its WAL and key (beside it or given by UFA_KEY_FILE), a link to them,
// and its own inputs, with exit 2 and nothing changed.
func TestNoOutputOverAnInput(t *testing.T) {
	db := queryWarehouse(t)
	dir := filepath.Dir(db)
	key := db + ".key"
	wal := db + ".wal"
	if err := os.WriteFile(key, []byte("0123456789abcdef0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wal, []byte("wal"), 0o644); err != nil {
		t.Fatal(err)
	}
	envKey := filepath.Join(t.TempDir(), "省级.key")
	if err := os.WriteFile(envKey, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("UFA_KEY_FILE", envKey)
	link := filepath.Join(dir, "结果.csv")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	linkKey := filepath.Join(dir, "结果.xlsx")
	if err := os.Symlink(key, linkKey); err != nil {
		t.Fatal(err)
	}
	protected := []string{db, key, wal, envKey}
	hashes := map[string][32]byte{}
	for _, p := range protected {
		hashes[p] = queryFileHash(t, p)
	}
	sub := filepath.Join(dir, "子", "..", filepath.Base(db)) // another spelling of db
	if err := os.Mkdir(filepath.Join(dir, "子"), 0o755); err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, "输入.xlsx")
	f := excelize.NewFile()
	if err := f.SaveAs(input); err != nil {
		t.Fatal(err)
	}
	tests := [][]string{
		{"query", "--db", db, "--format", "csv", "-o", db, "SELECT 1"},
		{"query", "--db", db, "--format", "csv", "-o", key, "SELECT 1"},
		{"query", "--db", db, "-o", wal, "SELECT 1"},
		{"query", "--db", db, "--format", "csv", "-o", link, "SELECT 1"},
		{"query", "--db", db, "--format", "xlsx", "-o", linkKey, "SELECT 1"},
		{"query", "--db", db, "--format", "json", "-o", envKey, "SELECT 1"},
		{"query", "--db", db, "-o", sub, "SELECT 1"},
		{"query", "--db", db, "--format", "parquet", "-o", db, "SELECT 1"},
		{"template", "-o", envKey},
		{"report", "--db", db, "--month", "2026-10", "-o", linkKey},
		{"export", "--db", db, "--out", db},
		{"export", "--db", db, "--out", key},
		{"dashboards", "--db", db, "--month", "2026-10", "--out", wal},
		{"validate", "--annotate", input, input},
	}
	for _, args := range tests {
		code, _, errs := runUFA(args...)
		if code != exitFailed || !strings.Contains(errs, "会覆盖") && !strings.Contains(errs, "原文件") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a refusal", args, code, errs)
		}
	}
	for _, p := range protected {
		if queryFileHash(t, p) != hashes[p] {
			t.Errorf("%s changed", p)
		}
	}
	// The extension the format implies.
	for _, args := range [][]string{
		{"query", "--db", db, "--format", "csv", "-o", filepath.Join(dir, "x.xlsx"), "SELECT 1"},
		{"query", "--db", db, "--format", "xlsx", "-o", filepath.Join(dir, "x.csv"), "SELECT 1"},
		{"query", "--db", db, "--format", "parquet", "-o", filepath.Join(dir, "x.json"), "SELECT 1"},
		{"query", "--db", db, "--format", "json", "-o", filepath.Join(dir, "x.txt"), "SELECT 1"},
		{"template", "-o", filepath.Join(dir, "模板.csv")},
	} {
		code, _, errs := runUFA(args...)
		if code != exitFailed || !strings.Contains(errs, "结尾") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the extension", args, code, errs)
		}
	}
	// The right extension works.
	out := filepath.Join(dir, "一.csv")
	if code, _, errs := runUFA("query", "--db", db, "--format", "csv", "-o", out, "SELECT 1 AS x"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(out); string(b) != "x\n1\n" {
		t.Errorf("%s: %q", out, b)
	}
}
