// Package spec is the contract of docs/submission.md as data: the
// sheets of the monthly workbook, their columns with types, aliases and
// enumerations, and Liaoning's divisions. The reader, the validator, the
// template, the generator and the warehouse schema are all built from it,
// so a column is added in one place.
//
// It is data and lookups only: it must not read workbooks or files (its
// tables are compiled in or embedded) nor apply a rule; the reader, the
// rules and the template interpret what it declares.
package spec
