package ingest

import (
	"context"
	"io"

	"ufa/ingest/report"
	"ufa/internal/spec"
)

// What package ingest/report owns (the text and JSON reports, the annotated
// copy), as callers have always named it.

// ResultsSheet is the name of the sheet the annotated copy adds.
const ResultsSheet = report.ResultsSheet

// The fills of cells with an error or a warning in the annotated copy.
const (
	ErrorFill   = report.ErrorFill
	WarningFill = report.WarningFill
)

// CommentAuthor is the author of the annotated copy's comments.
const CommentAuthor = report.CommentAuthor

// ErrNotAnnotatable: a workbook that could not be read has no annotated copy.
var ErrNotAnnotatable = report.ErrNotAnnotatable

type (
	// Sink receives an annotated copy (AnnotateTo).
	Sink = report.Sink
	// Buffer is an in-memory Sink that can be read back.
	Buffer = report.Buffer
	// JSONResult is one file's result in `ufa validate --json`.
	JSONResult = report.JSONResult
	// JSONFinding is one finding of a JSONResult.
	JSONFinding = report.JSONFinding
)

// Annotate writes the annotated copy of r's workbook to out.
func Annotate(ctx context.Context, book *spec.Book, r *Result, out string) error {
	return report.Annotate(ctx, book, r, out)
}

// AnnotateTo writes the annotated copy of the workbook in src to dst.
func AnnotateTo(ctx context.Context, book *spec.Book, r *Result, src io.ReaderAt, size int64, dst Sink) error {
	return report.AnnotateTo(ctx, book, r, src, size, dst)
}

// Verdict is the summary line of one file.
func Verdict(r *Result) string { return report.Verdict(r) }

// WriteReport writes the Chinese report of one file.
func WriteReport(w io.Writer, book *spec.Book, r *Result) error {
	return report.WriteReport(w, book, r)
}

// WriteTotal writes the closing line of a report on several files.
func WriteTotal(w io.Writer, rs []*Result) error { return report.WriteTotal(w, rs) }

// ToJSON is the JSON form of one file's result.
func ToJSON(book *spec.Book, r *Result) JSONResult { return report.ToJSON(book, r) }

// WriteJSON writes one file's result as a JSON object.
func WriteJSON(w io.Writer, book *spec.Book, r *Result) error { return report.WriteJSON(w, book, r) }
