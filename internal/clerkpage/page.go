package clerkpage

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var (
	//go:embed page.html
	pageHTML string
	//go:embed page.css
	pageCSS string
	//go:embed memfs.js
	memfsJS string
	//go:embed page.js
	pageJS string
)

// Build returns the page for the WebAssembly module wasm (GOOS=js
// GOARCH=wasm build of cmd/ufa-wasm) and wasmExec, the wasm_exec.js of
// the Go that built it (WasmExec finds it). The same inputs give the same
// bytes.
func Build(wasm, wasmExec []byte) ([]byte, error) {
	if !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		return nil, errors.New("clerkpage: the module is not WebAssembly")
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(wasm); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	script := memfsJS + "\n" + string(wasmExec) + "\n" + pageJS
	if strings.Contains(strings.ToLower(script), "</script") {
		return nil, errors.New("clerkpage: a script contains </script")
	}
	csp := strings.Join([]string{
		"default-src 'none'",
		// 'unsafe-eval' as well: Chromium before 97 (still in some
		// domestic browsers) knows only it for compiling WebAssembly.
		"script-src " + hash(script) + " 'wasm-unsafe-eval' 'unsafe-eval'",
		"style-src " + hash(pageCSS),
		"connect-src 'none'",
		"img-src 'none'",
		"form-action 'none'",
		"base-uri 'none'",
	}, "; ")
	out := strings.NewReplacer(
		"{{CSP}}", csp,
		"{{STYLE}}", pageCSS,
		"{{WASM}}", base64.StdEncoding.EncodeToString(gz.Bytes()),
		"{{SCRIPT}}", script,
	).Replace(pageHTML)
	return []byte(out), nil
}

// hash is a CSP source for an inline element's exact text.
func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// WasmExec reads wasm_exec.js from a Go installation's root (go env
// GOROOT): lib/wasm since Go 1.24, misc/wasm before.
func WasmExec(goroot string) ([]byte, error) {
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		b, err := os.ReadFile(filepath.Join(goroot, dir, "wasm_exec.js"))
		if err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("wasm_exec.js not found under %s (lib/wasm or misc/wasm)", goroot)
}
