package ingest

import (
	"context"

	"ufa/ingest/check"
	"ufa/ingest/read"
	"ufa/internal/spec"
)

// What packages ingest/read (the workbook into typed rows, the batch of
// files) and ingest/check (the rules, Validate) own, as callers have
// always named it.

// Options are what the command line says the workbook must be: --city and --month.
type Options = check.Options

type (
	// Batch is the files a command was given, collected (Collect).
	Batch = read.Batch
	// Skipped is a file of a batch that is not a workbook.
	Skipped = read.Skipped
	// CollectOptions tune Collect.
	CollectOptions = read.CollectOptions
)

// ErrNotFound: a file or folder given does not exist.
var ErrNotFound = read.ErrNotFound

// Validate reads the workbook at path and, when it could be read, checks it.
func Validate(ctx context.Context, book *spec.Book, path string, opt Options) *Result {
	return check.Validate(ctx, book, path, opt)
}

// SortFindings orders findings as Validate returns them. wb may be nil.
func SortFindings(book *spec.Book, wb *Workbook, fs []Finding) { check.SortFindings(book, wb, fs) }

// Check applies every rule that needs more than one cell.
func Check(book *spec.Book, wb *Workbook, opt Options) []Finding { return check.Check(book, wb, opt) }

// Read reads the workbook at path into typed rows and the reader's findings.
func Read(ctx context.Context, book *spec.Book, path string) (*Workbook, []Finding) {
	return read.Read(ctx, book, path)
}

// Collect gathers the workbooks named by args (files and folders).
func Collect(args []string, opt CollectOptions) (*Batch, error) { return read.Collect(args, opt) }

// SideFile says why a file of this name is one Office, WPS or a system leaves beside a submission ("" when it may be one).
func SideFile(name string) string { return read.SideFile(name) }

// ShownName is a file's name as it may be shown and stored (invalid UTF-8 replaced).
func ShownName(path string) string { return read.ShownName(path) }

// ShownPath is ShownName for a whole path.
func ShownPath(path string) string { return read.ShownPath(path) }

// RemoveStaleTemp removes the temporary folders of runs that no longer exist and returns how many.
func RemoveStaleTemp() int { return read.RemoveStaleTemp() }
