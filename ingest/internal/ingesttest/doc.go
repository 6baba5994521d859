// Package ingesttest holds what the tests of ingest's packages share:
// writing a testbook to a temporary file, listing findings, patching the
// parts of an xlsx package, the messy-but-valid workbooks and the big
// workbook of the benchmarks. Only tests import it; being internal to
// ingest, nothing outside ingest can.
package ingesttest
