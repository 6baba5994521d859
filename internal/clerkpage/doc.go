// Package clerkpage builds bin/ufa-validator.html (docs/validator-page.md): one HTML
// file holding the validator compiled to WebAssembly (cmd/ufa-wasm,
// gzip-compressed and base64-encoded), Go's wasm_exec.js, an in-memory
// file system for it and the page's own script and style. Opened from
// disk with no network, it validates workbooks in the browser. Its
// Content-Security-Policy allows no request at all (connect-src 'none')
// and only the inline script and style it was built with (by hash).
package clerkpage
