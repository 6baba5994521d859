package transform

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ufa/internal/testing/testbook"
)

func TestExportReadsBack(t *testing.T) {
	ctx := context.Background()
	w, _ := openTest(t)
	dir := t.TempDir()
	for _, name := range []string{"沈阳市", "大连市"} {
		for _, m := range []string{"2026-09", "2026-10"} {
			c := city(t, name)
			submit(t, w, writeBook(t, dir, testbook.ValidFor(c, m), testbook.FileNameFor(c, m)))
		}
	}
	bad := testbook.Valid()
	bad.Set("社会组织", 0, "从业人员数", -5)
	submit(t, w, writeBook(t, t.TempDir(), bad, "坏文件.xlsx")) // rejected: a submission with findings

	out := filepath.Join(t.TempDir(), "parquet")
	// Twice: a second export into the same folder replaces the first.
	for i := 0; i < 2; i++ {
		got, err := w.Export(ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range got {
			seen[e.Table] = true
			var back int64
			if e.Partitioned {
				err = w.DB().QueryRow("SELECT count(*) FROM read_parquet(?, hive_partitioning = true)", filepath.Join(e.Path, "**", "*.parquet")).Scan(&back)
			} else {
				err = w.DB().QueryRow("SELECT count(*) FROM read_parquet(?)", e.Path).Scan(&back)
			}
			if err != nil {
				t.Fatalf("%s: %v", e.Table, err)
			}
			if n, _ := w.Count(ctx, e.Table); back != n || back != e.Rows {
				t.Errorf("%s: %d rows in the warehouse, %d reported, %d read back", e.Table, n, e.Rows, back)
			}
		}
		for _, table := range []string{"submissions", "findings", "schema_version", "meta", "cover", "organizations", "representatives", "activities", "participants", "suggestions", "nominations", "mechanisms"} {
			if !seen[table] {
				t.Errorf("table %s not exported", table)
			}
		}
	}
	// Partitions are month=/city= folders, and the hive columns come back.
	if _, err := os.Stat(filepath.Join(out, "organizations", "month=2026-10", "city=210200")); err != nil {
		t.Error(err)
	}
	var n int64
	if err := w.DB().QueryRow("SELECT count(*) FROM read_parquet(?, hive_partitioning = true) WHERE city = '210100' AND month = '2026-09'",
		filepath.Join(out, "representatives", "**", "*.parquet")).Scan(&n); err != nil || n != testbook.RepCount {
		t.Errorf("沈阳 2026-09 representatives read back: %d (%v)", n, err)
	}
}

// TestExportKeepsUsersFiles: an export replaces what the previous export
// wrote (its manifest) and nothing else; a file of the user's own where the
// export would write stops it before anything changes.
func TestExportKeepsUsersFiles(t *testing.T) {
	ctx := context.Background()
	w, _ := openTest(t)
	dir := t.TempDir()
	c := city(t, "沈阳市")
	submit(t, w, writeBook(t, dir, testbook.ValidFor(c, "2026-10"), testbook.FileNameFor(c, "2026-10")))
	out := filepath.Join(t.TempDir(), "导出")
	if _, err := w.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	part := filepath.Join(out, "organizations", "month=2026-10", "city=210100")
	mine := []string{
		filepath.Join(out, "organizations", "我的笔记.txt"),
		filepath.Join(part, "我的.parquet"),
		filepath.Join(out, "自己的.csv"),
	}
	for _, p := range mine {
		if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest, err := os.ReadFile(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(manifest), "organizations/month=2026-10/city=210100/") || !strings.Contains(string(manifest), "submissions.parquet") {
		t.Fatalf("manifest does not list the export's files:\n%s", manifest)
	}
	if _, err := w.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	for _, p := range mine {
		if b, err := os.ReadFile(p); err != nil || string(b) != "mine" {
			t.Errorf("%s: the user's file did not survive the export (%v)", p, err)
		}
	}
	// A file where the export writes, not listed in the manifest.
	if err := os.Remove(filepath.Join(out, ManifestName)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(out, "submissions.parquet"))
	_, err = w.Export(ctx, out)
	if !errors.Is(err, ErrExportClash) {
		t.Fatalf("export over files it did not write: %v, want ErrExportClash", err)
	}
	after, _ := os.ReadFile(filepath.Join(out, "submissions.parquet"))
	if !bytes.Equal(before, after) {
		t.Error("a refused export changed a file")
	}
	if ents, _ := filepath.Glob(filepath.Join(out, ".ufa-export-*")); len(ents) > 0 {
		t.Errorf("staging folders left behind: %v", ents)
	}
}

// TestOpenDamaged: a file that is not a database, or a truncated one, is
// ErrDamaged (a Chinese message with what to do), and stays as it was.
func TestOpenDamaged(t *testing.T) {
	ctx := context.Background()
	w, path := openTest(t)
	c := city(t, "沈阳市")
	submit(t, w, writeBook(t, t.TempDir(), testbook.ValidFor(c, "2026-10"), testbook.FileNameFor(c, "2026-10")))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := map[string][]byte{
		"text.duckdb":  []byte("month,city\n2026-10,沈阳市\n"),
		"third.duckdb": good[:len(good)/3],
		"head.duckdb":  good[:5000],
	}
	for name, data := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, ro := range []bool{true, false} {
			w, err := Open(ctx, p, Options{ReadOnly: ro})
			if err == nil {
				w.Close()
				t.Errorf("%s (read-only %v): opened", name, ro)
				continue
			}
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "备份") {
				t.Errorf("%s (read-only %v): %v", name, ro, err)
			}
		}
		if b, _ := os.ReadFile(p); !bytes.Equal(b, data) {
			t.Errorf("%s was changed", name)
		}
	}
}
