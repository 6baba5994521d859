// Package check applies the rules of docs/submission.md that need more
// than one cell: the cover against --city, --month and the file name,
// uniqueness, references between sheets, consistency within a row, dates
// against the reporting month, and the warnings. Validate is the whole
// check of one file: read it (ingest/read), apply the rules, order the
// findings as a clerk works through the file.
//
// It must not read cells itself (the reader's typed Values are its only
// input) nor show findings (ingest/report); it trusts the reader's
// contract that a cell found wrong is never judged twice.
package check
