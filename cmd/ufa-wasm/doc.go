//go:build js && wasm

// Command ufa-wasm is `ufa validate` for the offline page
// (bin/ufa-validator.html, docs/validator-page.md), compiled to WebAssembly. The page
// puts each dropped workbook into an in-memory file system under its own
// name and calls ufa.validate(name): the same clerk.Check as the command
// line, so the same findings, JSON line and annotated copy.
//
// It must not check anything itself nor import a package that needs cgo
// or the warehouse: it is only the bridge from the page to package clerk.
package main
