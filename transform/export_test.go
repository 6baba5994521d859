package transform

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"ufa/internal/testbook"
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
