package main

import (
	"fmt"
	"io"
	"runtime"
)

// version and commit are set when the binary is built (Makefile, ldflags
// -X main.version=… -X main.commit=…), so a clerk's binary tells which
// source it came from.
var (
	version = "dev"
	commit  = "unknown"
)

func printVersion(w io.Writer) {
	fmt.Fprintf(w, "ufa %s（提交 %s，%s/%s）\n", version, commit, runtime.GOOS, runtime.GOARCH)
}
