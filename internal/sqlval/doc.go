// Package sqlval turns the values database/sql and duckdb-go scan into
// the few kinds that writers (tables, CSV, JSON, xlsx) and tests know.
//
// It must not run queries nor format values for people: writers decide
// how a kind is shown. It imports duckdb-go for its value types, so the
// cgo-free validator must not import it.
package sqlval
