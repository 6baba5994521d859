package read

import (
	"context"
	"strings"
	"testing"

	"ufa/ingest/internal/ingesttest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/internal/xlsxscan"
)

// rdFastReader opens path on the fast path, with 3,000 organizations
// (a dozen batches).
func rdFastReader(t *testing.T) *rdReader {
	t.Helper()
	b := testbook.Valid()
	orgs := b.Sheet("社会组织")
	for i := 0; i < 3000; i++ {
		row := append([]any{}, orgs.Rows[1]...)
		row[0] = testbook.CreditCode("51", "210100", 100+i)
		orgs.Rows = append(orgs.Rows, row)
	}
	bk, err := xlsxscan.OpenFile(context.Background(), ingesttest.Write(t, b), rdLimits())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bk.Close() })
	return &rdReader{ctx: context.Background(), book: spec.Load(), fast: bk}
}

// Rows come in order, each once, across batches; when fn says stop in
// the middle of a batch, it is not called again and the scan still ends
// without error.
func TestFastRowsStop(t *testing.T) {
	r := rdFastReader(t)
	for _, stopAt := range []int{1, rdBatchRows - 1, rdBatchRows, rdBatchRows + 1, 1000, 1 << 30} {
		calls, last := 0, 0
		err := r.eachRow("社会组织", func(line int, cells []string) bool {
			calls++
			if line <= last || len(cells) == 0 {
				t.Fatalf("stop %d: line %d after %d, %d cells", stopAt, line, last, len(cells))
			}
			last = line
			return calls < stopAt
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := min(stopAt, 3004); calls != want { // header + 3 + 3000 rows
			t.Errorf("stop %d: %d calls, want %d", stopAt, calls, want)
		}
	}
}

// A panic while typing a row reaches the reader's goroutine (where Read
// recovers it) instead of leaving the scanner blocked; a panic on the
// scanner's goroutine is carried over with its stack.
func TestFastRowsPanic(t *testing.T) {
	r := rdFastReader(t)
	catch := func(fn func()) (p any) {
		defer func() { p = recover() }()
		fn()
		return nil
	}
	p := catch(func() {
		_ = r.eachRow("社会组织", func(line int, cells []string) bool {
			if line == 700 {
				panic("typing")
			}
			return true
		})
	})
	if p != "typing" {
		t.Errorf("panic %v, want the one of fn", p)
	}
	// The reader still works: the scanner of the first call has ended.
	n := 0
	if err := r.eachRow("社会组织", func(int, []string) bool { n++; return true }); err != nil || n != 3004 {
		t.Fatalf("%d rows, %v", n, err)
	}
	// Rows asks its context first, on the scanner's goroutine.
	r.ctx = rdPanicky{context.Background()}
	p = catch(func() { _ = r.eachRow("社会组织", func(int, []string) bool { return true }) })
	if s, _ := p.(string); !strings.Contains(s, "scanner goroutine") {
		t.Errorf("panic %v, want the scanner's with its stack", p)
	}
}

// rdPanicky is a context whose Err panics.
type rdPanicky struct{ context.Context }

func (rdPanicky) Err() error { panic("asked") }
