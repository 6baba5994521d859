// Package ingest is the first stage of the pipeline: it reads a city's
// monthly workbook (xlsx) into typed rows, checks it against
// docs/submission.md, and reports every problem as a Finding on its cell.
// It also writes the blank template and the annotated copy of a workbook.
//
// This package is the facade the rest of ufa calls (Validate, Read,
// Collect, Annotate, WriteReport, WriteJSON, WriteTemplate and the types);
// the work is done in its parts, each owning one thing:
//
//	ingest/model     the shared types (Finding, Workbook, Result…), the per-kind bound, ID masking
//	ingest/read      xlsx → Workbook and the reader's findings; the batch of files; temp folders
//	ingest/check     the rules across cells and sheets; Validate = read, check, order
//	ingest/report    the findings shown: text report, JSON, the annotated copy
//	ingest/template  the blank monthly workbook
//
// It must not add behaviour of its own: a verb here only forwards. ingest
// needs no database and builds without cgo (GOOS=js too), so the portable
// validator is this package behind a thin command; the Arrow batches the
// warehouse loads are built in transform/records, which ingest must not
// import.
package ingest
