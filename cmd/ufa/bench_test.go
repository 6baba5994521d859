package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"ufa/internal/testing/benchfloor"
)

// BenchmarkValidate runs the validate command end to end (read, check,
// Chinese report) on the workbooks of `make bench`, written by ufa gen:
// the 100,000-organization workbook of Shenyang and the 14 workbooks of a
// province month at scale 1. Beside each, the floor: inflating the same
// worksheet XML and counting its cells with a byte scan. SetBytes is the
// inflated XML, so MB/s compares the two directly.
func BenchmarkValidate(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	gen := func(out string, args ...string) []string {
		b.Helper()
		args = append([]string{"gen", "--out", out, "--from", "2026-01", "--to", "2026-01"}, args...)
		if code := run(ctx, args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("ufa %v: exit %d", args, code)
		}
		files, err := filepath.Glob(filepath.Join(out, "2026-01", "*.xlsx"))
		if err != nil || len(files) == 0 {
			b.Fatalf("ufa gen wrote no workbook in %s: %v", out, err)
		}
		return files
	}
	sets := []struct {
		name  string
		files []string
	}{
		{"organizations-100k", gen(filepath.Join(dir, "big"), "--city", "沈阳市", "--scale", "17.3")},
		{"province-month", gen(filepath.Join(dir, "prov"))},
	}
	for _, s := range sets {
		var floor benchfloor.Stats
		for _, f := range s.files {
			st, err := benchfloor.Scan(ctx, f)
			if err != nil {
				b.Fatal(err)
			}
			floor.Add(st)
		}
		b.Run(s.name+"/validate", func(b *testing.B) {
			b.SetBytes(floor.Bytes)
			b.ReportAllocs()
			args := append([]string{"validate"}, s.files...)
			for b.Loop() {
				if code := run(ctx, args, io.Discard, io.Discard); code != 0 {
					b.Fatalf("ufa validate: exit %d on generated workbooks", code)
				}
			}
		})
		b.Run(s.name+"/floor", func(b *testing.B) {
			b.SetBytes(floor.Bytes)
			b.ReportAllocs()
			for b.Loop() {
				var st benchfloor.Stats
				for _, f := range s.files {
					one, err := benchfloor.Scan(ctx, f)
					if err != nil {
						b.Fatal(err)
					}
					st.Add(one)
				}
				if st != floor {
					b.Fatalf("floor %+v, first scan %+v", st, floor)
				}
			}
		})
	}
}
