// Package ingest is the first stage of the pipeline: it reads a city's
// monthly workbook (xlsx) into typed rows, checks it against
// docs/submission.md, and reports every problem as a Finding on
// its cell. It also writes the blank template and the annotated copy of a
// workbook. It needs no database and builds without cgo, so the portable
// validator is this package behind a thin command.
package ingest
