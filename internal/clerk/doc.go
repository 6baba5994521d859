// Package clerk is `ufa validate` for one workbook as the city clerk gets
// it, whichever way the clerk starts it: the command line, a workbook
// dropped on the executable, or the offline page (the same Go code
// compiled to WebAssembly). One function gives all three the same
// findings, the same `--json` line and the same annotated copy.
//
// It must not open the warehouse nor import anything that needs cgo: the
// page links it as WebAssembly. It prints nothing: the command and the
// page show the Checked it returns.
package clerk
