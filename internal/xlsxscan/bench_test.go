package xlsxscan

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"ufa/internal/gen"
	"ufa/internal/spec"
)

// The benchmark workbook: ufa gen's 沈阳市 at scale 17.3, one month —
// 99,994 organizations, a 67 MB 社会组织 sheet of 14 columns (12 MB
// file). It is generated once and cached in the temp dir.
const (
	benchSheet = "社会组织"
	benchSeed  = 1
)

func bench100k(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "ufa-xlsxscan-bench-100k")
	path := filepath.Join(dir, "2026-01", gen.FileName("沈阳市", "2026-01"))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	_, err := gen.Generate(context.Background(), spec.Load(), gen.Options{
		Out: dir, From: "2026-01", To: "2026-01", Scale: 17.3, Cities: []string{"210100"}, Seed: benchSeed,
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// sheetSize is the uncompressed size of the benchmark sheet, for MB/s.
func sheetSize(b *testing.B, path string) int64 {
	bk, err := OpenFile(context.Background(), path, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	info, err := bk.sheet(benchSheet)
	if err != nil {
		b.Fatal(err)
	}
	return int64(bk.parts[partKey(info.Part)].UncompressedSize64)
}

// BenchmarkScan100k: open the workbook and read every cell of the sheet
// with the fast path (values as bytes, as the reader would type them).
func BenchmarkScan100k(b *testing.B) {
	path := bench100k(b)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	ctx := context.Background()
	cpu := cpuNanos()
	for b.Loop() {
		bk, err := OpenFile(ctx, path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		cells := 0
		err = bk.Rows(ctx, benchSheet, func(_ int, cs []Cell) error {
			cells += len(cs)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		bk.Close()
		b.ReportMetric(float64(cells), "cells/op")
	}
	b.ReportMetric(float64(cpuNanos()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkScanStrings100k: the fast path giving each row as excelize's
// []string (what the ufa reader consumes today): one string per
// non-shared cell.
func BenchmarkScanStrings100k(b *testing.B) {
	path := bench100k(b)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	ctx := context.Background()
	cpu := cpuNanos()
	for b.Loop() {
		bk, err := OpenFile(ctx, path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		var row []string
		n := 0
		err = bk.Rows(ctx, benchSheet, func(_ int, cs []Cell) error {
			row = Strings(row, cs)
			n += len(row)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		bk.Close()
	}
	b.ReportMetric(float64(cpuNanos()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkExcelizeRows100k: the same with excelize's Rows iterator and
// the options of the ufa reader.
func BenchmarkExcelizeRows100k(b *testing.B) {
	path := bench100k(b)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	cpu := cpuNanos()
	for b.Loop() {
		f, err := excelize.OpenFile(path, excelize.Options{
			RawCellValue: true, UnzipSizeLimit: 512 << 20, UnzipXMLSizeLimit: 8 << 20,
		})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows(benchSheet)
		if err != nil {
			b.Fatal(err)
		}
		cells := 0
		for rows.Next() {
			cs, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range cs {
				if c != "" { // gaps are not cells
					cells++
				}
			}
		}
		rows.Close()
		f.Close()
		b.ReportMetric(float64(cells), "cells/op")
	}
	b.ReportMetric(float64(cpuNanos()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkInflateFloor: the floor — inflate the sheet (with the
// standard library's compress/flate) and count "<c" in it, nothing else.
func BenchmarkInflateFloor(b *testing.B) { inflateFloor(b, false) }

// BenchmarkInflateFloorKlauspost: the same floor with the inflater the
// fast path uses.
func BenchmarkInflateFloorKlauspost(b *testing.B) { inflateFloor(b, true) }

func inflateFloor(b *testing.B, klauspost bool) {
	path := bench100k(b)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	buf := make([]byte, defWindow)
	cpu := cpuNanos()
	for b.Loop() {
		zr, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		if klauspost {
			zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
		}
		var f *zip.File
		for _, zf := range zr.File {
			if zf.Name == "xl/worksheets/sheet2.xml" {
				f = zf
			}
		}
		rc, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		n, last := 0, byte(0)
		for {
			k, err := io.ReadFull(rc, buf)
			chunk := buf[:k]
			n += bytes.Count(chunk, []byte("<c"))
			if last == '<' && k > 0 && chunk[0] == 'c' {
				n++
			}
			if k > 0 {
				last = chunk[k-1]
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		rc.Close()
		zr.Close()
		b.ReportMetric(float64(n), "cells/op")
	}
	b.ReportMetric(float64(cpuNanos()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}
