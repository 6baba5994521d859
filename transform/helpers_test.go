package transform

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

var testKey = []byte("transform test key, 32 bytes ok!")

// openTest opens a new warehouse in a temporary folder with a checked
// Arrow allocator; the cleanup closes it and asserts that no Arrow memory
// leaked.
func openTest(t testing.TB) (*Warehouse, string) {
	t.Helper()
	return openTestAt(t, filepath.Join(t.TempDir(), "ufa.duckdb"))
}

// openTestAt is openTest on a given file (closing twice is harmless).
func openTestAt(t testing.TB, path string) (*Warehouse, string) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	w, err := Open(context.Background(), path, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.UseKey(context.Background(), testKey); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
		mem.AssertSize(t, 0)
	})
	return w, path
}

func city(t testing.TB, name string) spec.City {
	t.Helper()
	c, ok := spec.Load().City(name)
	if !ok {
		t.Fatalf("no city %s", name)
	}
	return c
}

// writeBook writes b into dir under the file name of its city and month.
func writeBook(t testing.TB, dir string, b *testbook.Book, name string) string {
	t.Helper()
	p, err := b.WriteIn(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// replaceAll replaces every cell equal to old in every sheet.
func replaceAll(b *testbook.Book, old, new string) {
	for _, s := range b.Sheets {
		for _, r := range s.Rows[1:] {
			for i, v := range r {
				if v == old {
					r[i] = new
				}
			}
		}
	}
}

// addOrg appends organization seq (a 社会团体 registered in the city).
func addOrg(b *testbook.Book, c spec.City, seq int) string {
	code := testbook.CreditCode("51", c.Code, seq)
	s := b.Sheet("社会组织")
	s.Rows = append(s.Rows, []any{code, "新增协会" + testbook.Itoa(seq), "社会团体", "其他", c.Counties[0].Name, "市级", 10, 2, 8, "否", "", "是", 1, ""})
	return code
}

// submit does what ufa ingest does for one file.
func submit(t testing.TB, w *Warehouse, path string) Loaded {
	t.Helper()
	l, err := submitErr(w, path)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func submitErr(w *Warehouse, path string) (Loaded, error) {
	ctx := context.Background()
	sha, err := HashFile(path)
	if err != nil {
		return Loaded{}, err
	}
	f := File{Name: filepath.Base(path), SHA256: sha, Received: time.Now()}
	in, err := w.Receive(ctx, f, func() *ingest.Result { return ingest.Validate(ctx, w.book, path, ingest.Options{}) })
	if err != nil {
		return Loaded{}, err
	}
	defer in.Release()
	return w.Take(ctx, in)
}

// counts returns the row count of every table and view that matters.
func counts(t testing.TB, w *Warehouse) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, sh := range w.book.Sheets {
		for _, name := range []string{sh.Key, "cur_" + sh.Key} {
			n, err := w.Count(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = n
		}
	}
	for _, name := range []string{"findings", "cur_submissions"} {
		n, err := w.Count(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	return out
}

// outcomes lists the submissions as "file:outcome" in id order.
func outcomes(t testing.TB, w *Warehouse) string {
	t.Helper()
	rows, err := w.DB().Query("SELECT file_name || ':' || outcome FROM submissions ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func mustValid(t testing.TB, path string) {
	t.Helper()
	res := ingest.Validate(context.Background(), spec.Load(), path, ingest.Options{})
	if res.Errors() > 0 {
		for _, f := range res.Findings {
			t.Logf("%s %s %s!%s%d %s", f.Severity, f.Code, f.Sheet, f.Column, f.Row, f.Message)
		}
		t.Fatalf("%s has %d errors", path, res.Errors())
	}
}
