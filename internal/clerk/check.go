package clerk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
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

// FieldNames gives, for each finding of the JSON line in its order, the
// Chinese name of its column or item as `ufa validate` prints it (the
// JSON carries the key): the page shows it beside the cell.
func (c *Checked) FieldNames(book *spec.Book) []string {
	var j ingest.JSONResult
	if err := json.Unmarshal(c.JSON, &j); err != nil {
		return nil
	}
	byName := map[string]*spec.Sheet{} // the sheet names the reader found
	if wb := c.Result.Workbook; wb != nil {
		for _, t := range wb.Tables {
			if t != nil && t.Spec != nil {
				byName[t.Name] = t.Spec
			}
		}
	}
	out := make([]string, len(j.Findings))
	for i, f := range j.Findings {
		out[i] = f.Field
		s := byName[f.Sheet]
		if s == nil {
			s = sheetNamed(book, f.Sheet)
		}
		if s == nil || f.Field == "" {
			continue
		}
		if col := s.Column(f.Field); col != nil {
			out[i] = col.Name
		}
	}
	return out
}

// sheetNamed finds a spec sheet by its name or an alias.
func sheetNamed(book *spec.Book, name string) *spec.Sheet {
	norm := textnorm.SheetName(name)
	for _, s := range book.Sheets {
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			if textnorm.SheetName(n) == norm {
				return s
			}
		}
	}
	return nil
}
