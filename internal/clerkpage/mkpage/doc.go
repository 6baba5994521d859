// Command mkpage writes bin/ufa-validator.html from the WebAssembly
// validator (make validator):
//
//	go run ./internal/clerkpage/mkpage -wasm bin/ufa.wasm -goroot "$(go env GOROOT)" -o bin/ufa-validator.html
//
// It is a build tool, never part of the ufa binary: the page itself is
// package clerkpage's, and this command only reads its inputs and writes
// the result whole (internal/atomicfile).
package main
