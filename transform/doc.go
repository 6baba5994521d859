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
//     (superseded_by), which stays in the history. An accepted workbook
//     whose 填报日期 is earlier than the current one's does not replace
//     it: it is recorded 'superseded' (superseded_by the current one), with
//     its rows, and Loaded.Older says so.
//   - One order of attempts: the order of submissions.id, which is the
//     order Take is called in (callers take a batch by 填报日期, then file
//     name). The views of migration 003 define the attempts, the latest
//     attempt of a city-month and its first accepted workbook once, with
//     the one set of words for outcomes; cur_submissions is the current
//     workbook. Every consumer reads these views.
//   - The same file again (same SHA-256 as an accepted or superseded one,
//     or as a rejected one under the same name) is recorded as 'unchanged'
//     (same_as) and loads nothing.
//   - Privacy. ID numbers never reach DuckDB: package ingest turns them into
//     a keyed hash (HMAC-SHA256 under the province key), the masked form,
//     the birth year and the gender before the rows become Arrow batches,
//     and masks them in findings. The warehouse stores a fingerprint of the
//     key and refuses another key, which would silently break following a
//     person across months.
//
// Taking a workbook is one verb in two halves: Receive (may run on
// several goroutines, writes nothing) looks up an earlier attempt of the
// same file, else runs the check and turns an accepted workbook into one
// Arrow record batch per sheet (and drops its cells, so a batch of files
// waiting for their turn holds compact columns); Take applies the rules
// above and stores it: each batch is registered, in 16k-row slices, as a
// view on the transaction's connection and copied into its table by one
// INSERT ... SELECT (a registered Arrow stream can be scanned only once),
// never row by row. Submit is Receive of an already checked result, then
// Take. Package pipeline strings these into ingest workflows.
//
// Schema: numbered migrations in migrations/NNN_name.sql, applied in order
// on every open (a read-only open migrates in a short read-write open
// first, or returns ErrCannotMigrate saying why it cannot), each in its
// own transaction, recorded in schema_version. Add a
// table by adding the next number; never edit an applied migration. All
// other SQL is in sql/, one statement (or script) per file named after
// what it does, values through placeholders. Both folders are embedded and
// read with internal/sqlfile.
//
// One writer: DuckDB locks the file; a second process gets ErrLocked.
//
// It must not judge a workbook (the check is package ingest's; the
// warehouse records its verdict) nor compute indicators (metrics), and it
// prints nothing: callers show what Take returns.
package transform
