package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/transform"
)

func openTest(t *testing.T) *transform.Warehouse {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	w, err := transform.Open(context.Background(), filepath.Join(t.TempDir(), "ufa.duckdb"), transform.Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.UseKey(context.Background(), transform.DemoKey()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		w.Close()
		mem.AssertSize(t, 0)
	})
	return w
}

// A single upload (bytes as received) goes through the same check and
// load as an inbox: accepted, the same bytes again unchanged, a broken
// one rejected.
func TestTakeBytes(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	path, err := testbook.Valid().WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{transform.Accepted, transform.Unchanged} {
		tk, err := Take(ctx, w, spec.Load(), testbook.FileName, data)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Loaded.Outcome != want || tk.Path != testbook.FileName || tk.Loaded.CityName != testbook.City {
			t.Errorf("take %d: %+v, want %s", i, tk.Loaded, want)
		}
		if (tk.Result == nil) != (want == transform.Unchanged) {
			t.Errorf("take %d: result %v", i, tk.Result)
		}
	}
	b := testbook.Valid()
	b.Set("社会组织", 1, "统一社会信用代码", "51210100MJ0000018W")
	bad, err := b.WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := TakeFile(ctx, w, nil, bad)
	if err != nil || tk.Loaded.Outcome != transform.Rejected || tk.Loaded.Errors == 0 {
		t.Errorf("broken workbook: %+v %v", tk.Loaded, err)
	}
}

// Ingest takes a batch in the one order of attempts (填报日期, then file
// name) whatever the order of the paths, and tells progress and outcomes.
func TestIngestOrder(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	dir := t.TempDir()
	first := testbook.Valid() // filed 2026-11-03
	later := testbook.Valid()
	later.Set("封面", 0, "填报日期", "2026-11-04")
	later.Set("封面", 0, "联系电话", "024-87654321")
	a, _ := later.WriteIn(dir, "a.xlsx")
	b, _ := first.WriteIn(dir, "b.xlsx")
	var taken []string
	checked, loading := 0, 0
	sum, err := Ingest(ctx, w, []string{a, b}, IngestOptions{
		Progress: func(p Progress) {
			if p.Stage == Checking {
				checked++
			} else {
				loading++
			}
		},
		Taken: func(tk Taken) { taken = append(taken, filepath.Base(tk.Path)+" "+tk.Loaded.Outcome) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := taken; len(got) != 2 || got[0] != "b.xlsx accepted" || got[1] != "a.xlsx accepted" {
		t.Errorf("taken %v, want b.xlsx then a.xlsx", got)
	}
	if sum.Files != 2 || sum.Accepted != 2 || sum.Replaced != 1 || checked != 2 || loading != 2 {
		t.Errorf("summary %+v, progress %d checked %d loading", sum, checked, loading)
	}
	var cur string
	if err := w.DB().QueryRow("SELECT file_name FROM cur_submissions").Scan(&cur); err != nil || cur != "a.xlsx" {
		t.Errorf("current %q %v", cur, err)
	}
}
