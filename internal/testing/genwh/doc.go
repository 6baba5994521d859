// Package genwh builds a warehouse from generated workbooks for the tests
// of the stages that read one (queries, report): internal/gen writes the
// cities' monthly workbooks, each is validated and loaded the way ufa
// ingest does it, in the order a provincial office would receive them, and
// metrics.Compute computes every month. It needs DuckDB (cgo).
//
// Test helper (it imports testing): never imported by production code.
package genwh
