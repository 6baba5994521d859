// Package textnorm normalises what people type into cells and headers, so
// that full-width digits, stray spaces and required-marks compare equal to
// the template's spelling.
//
// It must not decide what a text means: matching a header to its column,
// an alias to its sheet or a value to its enumeration is the reader's
// (ingest/read) with the contract (internal/spec); textnorm only makes
// two spellings of the same text equal.
package textnorm
