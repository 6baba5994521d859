package xlsxscan

import (
	"errors"
	"fmt"
)

// Errors of the package. Test them with errors.Is.
var (
	// ErrUnsupported: the fast path does not read this (a feature it does
	// not handle, or a file it cannot make sense of). The caller should
	// read the workbook with excelize instead. Rows may already have
	// called fn for earlier rows: a caller falling back must discard them.
	ErrUnsupported = errors.New("xlsxscan: not supported by the fast path")
	// ErrMalformed: the part is not well-formed XML (invalid UTF-8, a
	// character XML does not allow, an unknown entity, a truncated or
	// mismatched element) or the package is damaged (bad zip, bad CRC).
	// It is also ErrUnsupported: excelize may still read a prefix of such
	// a sheet (its iterator stops silently at the first XML error), so a
	// caller that prefers to report damage checks ErrMalformed first.
	ErrMalformed = fmt.Errorf("%w: malformed", ErrUnsupported)
	// ErrLimit: the package exceeds a Limit (a zip bomb, or simply too
	// large). It is not ErrUnsupported: the file should be refused, not
	// handed to a reader with weaker limits.
	ErrLimit = errors.New("xlsxscan: over the safety limits")
	// ErrDepth: elements nested deeper than MaxDepth. It is ErrLimit (a
	// hostile file: excelize would spend gigabytes on it), never a reason
	// to fall back.
	ErrDepth = fmt.Errorf("%w: elements nested too deep", ErrLimit)
	// ErrNoSheet: the workbook lists no sheet of that name, or lists it
	// without a part in the package.
	ErrNoSheet = errors.New("xlsxscan: no such sheet")
	// ErrOrder: rows or cells are not in the order the format requires
	// (a row number used twice or going backwards, a cell reference out of
	// order within its row). Excel never writes that; excelize reads such a
	// sheet with rows dropped or cells shifted, without a word, so it is
	// final like ErrLimit (not ErrUnsupported): refuse the file. The error
	// is an *OrderError, which names the row.
	ErrOrder = errors.New("xlsxscan: rows or cells out of order")
	// ErrStop may be returned by the function given to Rows to end the
	// scan early; Rows then returns nil.
	ErrStop = errors.New("xlsxscan: stop")
)

// errShort is internal: the window holds too little of the part to finish
// the current row; the scanner reads more and parses the row again.
var errShort = errors.New("xlsxscan: need more input")

func malformedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

// OrderError is ErrOrder with its place: Row is the row whose number or
// cells are out of order (its number as written), Prev the row before it;
// Cell is the out-of-order reference when the fault is within the row.
type OrderError struct {
	Row, Prev int
	Cell      string
}

func (e *OrderError) Error() string {
	if e.Cell != "" {
		return fmt.Sprintf("xlsxscan: cell %s out of order in row %d", e.Cell, e.Row)
	}
	return fmt.Sprintf("xlsxscan: row %d after row %d", e.Row, e.Prev)
}

func (e *OrderError) Unwrap() error { return ErrOrder }
