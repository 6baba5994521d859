//go:build ignore

// The raw floor of `make bench`: inflate the worksheet XML (and shared
// strings) of every workbook given and count the cells with a byte scan.
// No reader of cells can do less; see internal/testing/benchfloor.
//
//	go build -o floor scripts/bench/floor.go && ./floor FILE.xlsx...
package main

import (
	"context"
	"fmt"
	"os"

	"ufa/internal/testing/benchfloor"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: floor FILE.xlsx...")
		os.Exit(2)
	}
	var total benchfloor.Stats
	for _, p := range os.Args[1:] {
		st, err := benchfloor.Scan(context.Background(), p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		total.Add(st)
	}
	fmt.Printf("%d files, %d parts, %.1f MB inflated, %d cells, %d shared strings\n",
		len(os.Args)-1, total.Parts, float64(total.Bytes)/1e6, total.Cells, total.Strings)
}
