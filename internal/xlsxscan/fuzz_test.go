package xlsxscan

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzScan feeds arbitrary bytes to the sheet scanner (as a worksheet
// part) and to the shared-string parser. Neither may panic or hang, and
// the scanner must read the same through a window of a few bytes, fed
// one byte at a time (every row cut everywhere and parsed again), as it
// reads with the whole part in view. The kept corpus in
// testdata/fuzz/FuzzScan holds small real sheets and tables from the
// corpus of odd workbooks.
func FuzzScan(f *testing.F) {
	f.Add([]byte(sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>a&amp;</t></r><rPh><t>x</t></rPh></is></c><c><f>1</f><v>2</v></c></row>`)))
	f.Add([]byte(sheetXML(`<x:row><x:c t="b"><x:v>1</x:v></x:c><x:c t="str"><x:v><![CDATA[<]]></x:v></x:c></x:row><row r="9"/>`)))
	f.Add([]byte(sstXML("a", "_x000D_", "&#x4E2D;")))
	f.Add([]byte(`<sst><si><r><t>a</t></r><r><t>b</t></r></si><si/></sst>`))
	// Row and cell order, and nesting depth (issue 11).
	f.Add([]byte(sheetXML(`<row r="2"><c><v>1</v></c></row><row r="2"><c><v>2</v></c></row>`)))
	f.Add([]byte(sheetXML(`<row r="3"><c><v>1</v></c></row><row r="1"><c><v>2</v></c></row>`)))
	f.Add([]byte(sheetXML(`<row r="1"><c r="C1"><v>1</v></c><c r="B1"><v>2</v></c></row>`)))
	f.Add([]byte(sheetXML(`<row r="1"><c><v>1</v></c>` + strings.Repeat("<x>", 300) + strings.Repeat("</x>", 300) + `</row>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := parseSharedStrings(data)
		if err == nil {
			for i := range tab.len() {
				if v, s, ok := tab.get(i); !ok || string(v) != s {
					t.Fatalf("string %d: %q / %q", i, v, s)
				}
			}
		} else if !errors.Is(err, ErrUnsupported) {
			t.Fatalf("shared strings: %v is not ErrUnsupported", err)
		}
		sst := &sharedStrings{data: []byte("ab"), all: "ab", offs: []uint32{0, 1, 2}}
		whole, werr := fuzzScan(data, sst, 0)
		small, serr := fuzzScan(data, sst, 5)
		if werr != nil && !errors.Is(werr, ErrUnsupported) && !errors.Is(werr, ErrLimit) && !errors.Is(werr, ErrOrder) {
			t.Fatalf("sheet: %v is neither ErrUnsupported, ErrLimit nor ErrOrder", werr)
		}
		if errors.Is(werr, ErrOrder) && errors.Is(werr, ErrUnsupported) || errors.Is(werr, ErrDepth) && errors.Is(werr, ErrUnsupported) {
			t.Fatalf("sheet: %v would send a hostile file to the fallback", werr)
		}
		// The structure check of the fallback finds no fault of order or
		// depth in what the scanner read whole (both enforce the same
		// rules), and ends.
		if _, err := CheckStructure(context.Background(), bytes.NewReader(data)); werr == nil && (errors.Is(err, ErrOrder) || errors.Is(err, ErrDepth)) {
			t.Fatalf("the scanner reads it, CheckStructure says %v", err)
		}
		if (werr == nil) != (serr == nil) {
			t.Fatalf("whole: %v; through a small window: %v", werr, serr)
		}
		if werr == nil {
			if d := diffRows(whole, small); d != "" {
				t.Fatalf("whole vs small window: %s", d)
			}
		}
	})
}

func fuzzScan(data []byte, sst *sharedStrings, window int) ([]row, error) {
	var r = bytes.NewReader(data)
	s := newScanner(r, uint64(len(data)), 1<<20, func() (*sharedStrings, error) { return sst, nil })
	if window > 0 {
		s = newScanner(iotest.OneByteReader(r), uint64(len(data)), 1<<20, func() (*sharedStrings, error) { return sst, nil })
		s.buf = make([]byte, window)
	}
	var rows []row
	var buf []string
	prev := 0
	err := s.run(context.Background(), func(n int, cells []Cell) error {
		if n <= prev || n > maxRows {
			panic("row numbers out of order")
		}
		prev = n
		for i, c := range cells {
			if c.Col < 1 || c.Col > maxCols || i > 0 && c.Col <= cells[i-1].Col {
				panic("columns out of order")
			}
		}
		buf = Strings(buf, cells)
		rows = append(rows, row{n, slices.Clone(buf)})
		return nil
	})
	return rows, err
}
