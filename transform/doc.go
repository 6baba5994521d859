// Package transform is the warehouse: an embedded DuckDB file that keeps
// every workbook a city submitted, the findings of every attempt, and one
// table per sheet, and that everything downstream (indicators, dashboards,
// report, queries) reads through the cur_* views.
//
// The rules it keeps are those of docs/warehouse.md:
//
//   - Whole or nothing. An accepted workbook is loaded in one transaction:
//     its submission row, the superseding of the city-month's earlier
//     workbook, its findings and every sheet. Any failure rolls all of it
//     back. A rejected workbook adds only its submission row and findings.
//     A process killed in the middle leaves the city-month as it was: DuckDB
//     writes a transaction to its write-ahead log only at commit, and on the
//     next open replays committed transactions only.
//   - Resubmission. At most one submission per city and month is
//     'accepted'; a newer accepted one marks the earlier 'superseded'
//     (superseded_by), which stays in the history.
//   - The same file again (same SHA-256 as an accepted or superseded one) is
//     recorded as 'unchanged' (same_as) and loads nothing.
//   - Privacy. ID numbers never reach DuckDB: package ingest turns them into
//     a keyed hash (HMAC-SHA256 under the province key), the masked form,
//     the birth year and the gender before the rows become Arrow batches,
//     and masks them in findings. The warehouse stores a fingerprint of the
//     key and refuses another key, which would silently break following a
//     person across months.
//
// The path in is Arrow: Prepare turns an accepted workbook into one record
// batch per sheet (and drops its cells, so a batch of files waiting for
// their turn holds compact columns); Store registers each batch, in 16k-row
// slices, as a view on the transaction's connection and copies it into its
// table by one INSERT ... SELECT (a registered Arrow stream can be scanned
// only once), never row by row. Submit is Prepare then Store.
//
// Schema: numbered migrations in migrations/NNN_name.sql, applied in order
// on open, each in its own transaction, recorded in schema_version. Add a
// table by adding the next number; never edit an applied migration. All
// other SQL is in sql/, one statement (or script) per file named after
// what it does, values through placeholders.
//
// One writer: DuckDB locks the file; a second process gets ErrLocked.
package transform
