// Package testbook builds small, valid monthly workbooks for tests: a
// Book is plain rows per sheet that a test edits (one fault, an alias, a
// shuffled column) before writing it with excelize. It is test support,
// shared by every stage so that each starts from the same valid workbook.
//
// Test helper (it imports testing): never imported by production code.
// It must not check what it writes; the tests run it through package
// ingest, which is the judge.
package testbook
