// Package golden is a test helper: it holds a deterministic output to a file
// under the repository's testdata/golden/ and, with -update, rewrites that
// file instead. Binary outputs (xlsx) are compared through a text dump that a
// reviewer can read in a diff, with the SHA-256 of the bytes on its first
// line, so that a change of bytes with the same content still shows.
//
// Updating golden files is a reviewed change: run `make golden`, read the
// diff of testdata/golden/, and commit it with a message that says why the
// output changed. Never imported by production code.
package golden
