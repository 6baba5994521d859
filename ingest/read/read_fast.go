package read

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"ufa/internal/xlsxscan"
)

// The fast path's rows are scanned on a goroutine of their own and typed
// on the reader's, handed over in batches: scanning and typing a large
// sheet each take about as long, and with the inflater on a third
// goroutine (xlsxscan's readahead) two cores are kept busy.
const (
	rdBatchRows = 256 // rows per batch
	rdBatches   = 4   // batches in flight: the scanner runs at most this far ahead
	// rdSlab is the size of the strings rows' text is cut from: one
	// allocation serves a few hundred rows.
	rdSlab = 64 << 10
)

// rdBatch is a batch of rows: row i is lines[i] with the cells
// cells[ends[i-1]:ends[i]].
type rdBatch struct {
	lines []int
	ends  []int
	cells []string
}

func (b *rdBatch) row(i int) []string {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.cells[start:b.ends[i]:b.ends[i]]
}

// fastRows is eachRow on the fast path. After fn says stop, the rest of
// the sheet is still scanned (its rows ignored): the scanner checks the
// XML and, at the end, the part's CRC, which rdCheckFile left to it.
func (r *rdReader) fastRows(sheet string, fn func(line int, cells []string) bool) error {
	full := make(chan *rdBatch, rdBatches)
	free := make(chan *rdBatch, rdBatches)
	for range rdBatches {
		free <- &rdBatch{}
	}
	var (
		stopped  atomic.Bool
		err      error
		panicked any
	)
	go func() {
		// err and panicked are written before full is closed, so read
		// after the range over full ends.
		defer close(full)
		defer func() {
			// A panic here would not reach Read's recover: it is carried
			// over to the reader's goroutine, with its stack.
			if p := recover(); p != nil {
				panicked = fmt.Sprintf("%v\n\nscanner goroutine:\n%s", p, debug.Stack())
			}
		}()
		var sc rdScanRows
		b := <-free
		err = r.fast.Rows(r.ctx, sheet, func(line int, cells []xlsxscan.Cell) error {
			if stopped.Load() {
				return nil
			}
			sc.add(b, line, cells)
			if len(b.lines) == rdBatchRows {
				full <- b
				b = <-free
				b.lines, b.ends, b.cells = b.lines[:0], b.ends[:0], b.cells[:0]
			}
			return nil
		})
		if len(b.lines) > 0 {
			full <- b
		}
	}()
	defer func() {
		// Also when fn panics: let the scanner finish, so that it does not
		// wait forever on full.
		stopped.Store(true)
		for b := range full {
			free <- b
		}
	}()
	for b := range full {
		for i := 0; i < len(b.lines) && !stopped.Load(); i++ {
			if !fn(b.lines[i], b.row(i)) {
				stopped.Store(true)
			}
		}
		free <- b
	}
	if panicked != nil {
		panic(panicked)
	}
	return err
}

// rdScanRows turns the scanner's cells into strings on the scanning
// goroutine.
type rdScanRows struct {
	slab strings.Builder
}

// add appends a row to b laid out as excelize gives it
// (xlsxscan.Strings): index Col-1 holds each cell, gaps are "", the row
// ends at its last cell. A shared string is the table's own string; the
// other values are copied into a slab string shared by the rows around
// and cut from it, so the rows cost an allocation every rdSlab bytes
// instead of one per cell. A value that is kept keeps its slab alive,
// which is about what the values around it take anyway: nearly every row
// keeps some of its text.
func (sc *rdScanRows) add(b *rdBatch, line int, cells []xlsxscan.Cell) {
	n := 0
	for i := range cells {
		if cells[i].Type != xlsxscan.TypeShared {
			n += len(cells[i].Value)
		}
	}
	if sc.slab.Cap()-sc.slab.Len() < n {
		// The strings handed out so far stay valid: a Builder never
		// changes bytes it has written.
		sc.slab = strings.Builder{}
		sc.slab.Grow(max(n, rdSlab))
	}
	start := sc.slab.Len()
	for i := range cells {
		if cells[i].Type != xlsxscan.TypeShared {
			sc.slab.Write(cells[i].Value)
		}
	}
	text := sc.slab.String()[start:]
	first, at := len(b.cells), 0
	for i := range cells {
		c := &cells[i]
		for len(b.cells)-first < c.Col-1 {
			b.cells = append(b.cells, "")
		}
		if c.Type == xlsxscan.TypeShared {
			b.cells = append(b.cells, c.String())
			continue
		}
		b.cells = append(b.cells, text[at:at+len(c.Value)])
		at += len(c.Value)
	}
	b.lines = append(b.lines, line)
	b.ends = append(b.ends, len(b.cells))
}
