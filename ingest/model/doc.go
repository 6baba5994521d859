// Package model holds the types every part of ingest shares: a Finding and
// its Severity, the typed Value of a cell, a sheet's Table of Rows, the
// Workbook the reader hands over and the Result of validating one file;
// the List that bounds the findings of one kind; and the masking of ID
// numbers in findings before they are shown or stored.
//
// It must not read or write files, nor know any rule: the reader
// (ingest/read), the rules (ingest/check) and the writers
// (ingest/report, ingest/template) import it, never the other way round.
// Callers outside ingest use these types through the aliases of package
// ingest.
package model
