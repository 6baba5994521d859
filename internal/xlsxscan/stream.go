package xlsxscan

import (
	"context"
	"errors"
	"io"
)

// RowsOf scans worksheet XML read from r, as Rows does a sheet of the
// book, with the book's shared strings: for a program that rewrites a
// sheet and checks, as it writes, that the rewritten XML holds the same
// cells (ingest's annotated copy). It reads r to its end even when it
// fails, so that a writer feeding it through a pipe is never blocked.
func (b *Book) RowsOf(ctx context.Context, r io.Reader, fn func(row int, cells []Cell) error) error {
	s := newScanner(r, uint64(b.lim.MaxSheet), b.lim.MaxRowBytes, b.sharedStrings)
	err := s.run(ctx, fn)
	if _, cerr := io.Copy(io.Discard, r); err == nil {
		err = cerr
	}
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}
