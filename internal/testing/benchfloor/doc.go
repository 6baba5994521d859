// Package benchfloor measures the floor under any workbook reader: the
// least work that reading the cells of an xlsx file can cost. It inflates
// every worksheet part (and the shared strings, which a reader must also
// inflate) and finds the start tag of each cell with a byte scan, without
// decoding anything. `make bench` and the Go benchmarks compare ufa
// validate against it: a reader near this floor spends its time on the
// cells, not on XML machinery.
//
// It is deliberately plain: the standard library's inflater, one part
// after another on one goroutine, a fixed buffer (so its memory does not
// grow with the sheet).
//
// Benchmark helper: never imported by production code (only by
// benchmarks and the build-ignored scripts/bench/floor.go).
package benchfloor
