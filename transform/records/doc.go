// Package records builds the Arrow record batches the warehouse loads: one
// per sheet of a validated workbook (its columns declared by Fields from
// the contract, ID numbers turned into a keyed hash, a masked form, a birth
// year and a gender) and one of a workbook's findings, masked.
//
// It owns the Arrow schema of the warehouse's sheet tables and the keyed
// hash of ID numbers. It must not read workbooks or open the database: it
// takes an ingest Workbook and an allocator and hands back batches the
// caller releases. It lives beside transform, not in ingest, so that the
// cgo-free validator (ufa validate, the browser page) does not link
// arrow-go.
package records
