package main

import (
	"flag"
	"fmt"
	"os"

	"ufa/internal/atomicfile"
	"ufa/internal/clerkpage"
)

func main() {
	wasmPath := flag.String("wasm", "", "the GOOS=js GOARCH=wasm build of ./cmd/ufa-wasm")
	goroot := flag.String("goroot", "", "GOROOT of the Go that built it (for wasm_exec.js)")
	out := flag.String("o", "", "the page to write")
	flag.Parse()
	if err := run(*wasmPath, *goroot, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkpage:", err)
		os.Exit(2)
	}
}

func run(wasmPath, goroot, out string) error {
	if wasmPath == "" || goroot == "" || out == "" {
		return fmt.Errorf("usage: mkpage -wasm FILE -goroot DIR -o FILE")
	}
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	exec, err := clerkpage.WasmExec(goroot)
	if err != nil {
		return err
	}
	page, err := clerkpage.Build(wasm, exec)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(out, page); err != nil {
		return err
	}
	fmt.Printf("已写出 %s（%.1f MB）\n", out, float64(len(page))/(1<<20))
	return nil
}
