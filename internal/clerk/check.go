package clerk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"ufa/ingest"
	"ufa/internal/spec"
)

// CopySuffix ends the name of an annotated copy: 沈阳市_2026-10.xlsx gives
// 沈阳市_2026-10_校验.xlsx.
const CopySuffix = "_校验.xlsx"

// CopyName is the file name (no folder) of the annotated copy of path.
func CopyName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base)) + CopySuffix
}

// Copy says what became of the annotated copy.
type Copy int

const (
	NoCopy         Copy = iota // none was asked for
	CopyWritten                // written where asked
	NotAnnotatable             // the workbook could not be opened (E_FILE): nothing to annotate
	CopyFailed                 // asked for but not written; Checked.CopyErr says why
)

// Checked is one workbook validated.
type Checked struct {
	Result *ingest.Result
	// JSON is the workbook's line of `ufa validate --json`, newline
	// included: the page shows exactly these findings.
	JSON    []byte
	Copy    Copy
	CopyErr error
}

// Errors is the number of errors found.
func (c *Checked) Errors() int { return c.Result.Errors() }

// Check validates the workbook at path and, when copyTo is not "", writes
// its annotated copy there (ingest.Annotate: the original is never
// touched). The error is only for a JSON line that could not be made; a
// copy that could not be written is reported in Copy and CopyErr, so the
// findings are never lost to it.
func Check(ctx context.Context, book *spec.Book, path string, opt ingest.Options, copyTo string) (*Checked, error) {
	c := &Checked{Result: ingest.Validate(ctx, book, path, opt)}
	var buf bytes.Buffer
	if err := ingest.WriteJSON(&buf, book, c.Result); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.JSON = buf.Bytes()
	if copyTo == "" {
		return c, nil
	}
	switch err := ingest.Annotate(ctx, book, c.Result, copyTo); {
	case errors.Is(err, ingest.ErrNotAnnotatable):
		c.Copy = NotAnnotatable
	case err != nil:
		c.Copy, c.CopyErr = CopyFailed, err
	default:
		c.Copy = CopyWritten
	}
	return c, nil
}
