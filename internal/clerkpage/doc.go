// Package clerkpage builds bin/ufa-validator.html (docs/validator-page.md): one HTML
// file holding the validator compiled to WebAssembly (cmd/ufa-wasm,
// gzip-compressed and base64-encoded), Go's wasm_exec.js, an in-memory
// file system for it and the page's own script and style. Opened from
// disk with no network, it validates workbooks in the browser. Its
// Content-Security-Policy allows no request at all (connect-src 'none')
// and only the inline script and style it was built with (by hash).
//
// It only packs what it is given (a wasm module, wasm_exec.js) into the
// page: it must not compile Go nor import the validator, which reaches it
// as bytes (cmd/ufa-wasm, built by make validator).
package clerkpage
