package xlsxscan

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"ufa/internal/testing/testbook"
)

func TestSharedStrings(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		want []string
	}{
		{"plain", sstXML("a", "b c", ""), []string{"a", "b c", ""}},
		{"rich, phonetic, empty items", `<?xml version="1.0"?><sst ` + nsMain + ` count="4"><si><r><t>东</t></r><r><rPr><b/></rPr><t>京</t></r><rPh sb="0" eb="1"><t>とう</t></rPh><phoneticPr fontId="1"/></si><si/><si><t/></si><si><t>x</t><r><t>y</t></r></si></sst>`,
			[]string{"东京", "", "", "xy"}},
		{"escapes and entities", `<sst ` + nsMain + `><si><t>a_x000D__x000A_b&amp;&#x41;</t></si><si><t><![CDATA[<&>]]></t></si></sst>`,
			[]string{"a\r\nb&A", "<&>"}},
		{"a count that lies", `<sst ` + nsMain + ` count="8876876876876" uniqueCount="8876876876876"><si><t>only</t></si></sst>`,
			[]string{"only"}},
		{"prefixed, BOM, comments, extLst", "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><x:sst xmlns:x=\"u\"><x:si><x:t>p</x:t></x:si><x:extLst><x:ext/></x:extLst><x:si><x:t>q</x:t></x:si></x:sst>",
			[]string{"p", "q"}},
		{"empty table", `<sst ` + nsMain + `/>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := parseSharedStrings([]byte(tt.xml))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := range tab.len() {
				v, s, ok := tab.get(i)
				if !ok || string(v) != s {
					t.Fatalf("string %d: %q / %q, %v", i, v, s, ok)
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if _, _, ok := tab.get(len(tt.want)); ok {
				t.Error("an index past the end is found")
			}
		})
	}
	for _, bad := range []struct {
		name, xml string
		malformed bool
	}{
		{"DOCTYPE", `<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "b">]><sst><si><t>&a;</t></si></sst>`, false},
		{"other root", `<table><si><t>a</t></si></table>`, false},
		{"truncated", `<sst ` + nsMain + `><si><t>abc`, true},
		{"unknown entity", `<sst><si><t>&lol9;</t></si></sst>`, true},
		{"empty part", ``, true},
	} {
		t.Run(bad.name, func(t *testing.T) {
			_, err := parseSharedStrings([]byte(bad.xml))
			if !errors.Is(err, ErrUnsupported) || errors.Is(err, ErrMalformed) != bad.malformed {
				t.Errorf("err = %v, want unsupported (malformed %v)", err, bad.malformed)
			}
		})
	}
}

// TestWorkbook: the package structure — relationships with odd targets,
// Strict OOXML, non-standard prefixes, sheet states, the date system,
// lookup by name.
func TestWorkbook(t *testing.T) {
	sheet := sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
	strict := strings.NewReplacer(
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships/", "http://purl.oclc.org/ooxml/officeDocument/relationships/",
		"http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main",
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships")
	tests := []struct {
		name  string
		edit  func(p map[string]string)
		sheet string // the name to read
	}{
		{"standard", func(map[string]string) {}, "Sheet1"},
		{"sheet name in another case", func(map[string]string) {}, "sHEET1"},
		{"absolute targets", func(p map[string]string) {
			p["xl/_rels/workbook.xml.rels"] = strings.ReplaceAll(p["xl/_rels/workbook.xml.rels"], `Target="`, `Target="/xl/`)
			p["_rels/.rels"] = strings.ReplaceAll(p["_rels/.rels"], `Target="xl/`, `Target="/xl/`)
		}, "Sheet1"},
		{"backslashes and dot segments", func(p map[string]string) {
			p["xl/_rels/workbook.xml.rels"] = strings.ReplaceAll(p["xl/_rels/workbook.xml.rels"], `Target="worksheets/`, `Target="..\xl\.\worksheets\`)
		}, "Sheet1"},
		{"backslashes in zip names, other case", func(p map[string]string) {
			p[`XL\Worksheets\Sheet1.XML`] = p["xl/worksheets/sheet1.xml"]
			delete(p, "xl/worksheets/sheet1.xml")
			p[`xl\SharedStrings.xml`] = p["xl/sharedStrings.xml"]
			delete(p, "xl/sharedStrings.xml")
		}, "Sheet1"},
		{"Strict OOXML", func(p map[string]string) {
			for k, v := range p {
				p[k] = strict.Replace(v)
			}
		}, "Sheet1"},
		{"non-standard prefix for r:id", func(p map[string]string) {
			p["xl/workbook.xml"] = strings.ReplaceAll(strings.ReplaceAll(p["xl/workbook.xml"], "xmlns:r=", "xmlns:ns="), "r:id=", "ns:id=")
		}, "Sheet1"},
		{"workbook elsewhere, no shared-string relationship", func(p map[string]string) {
			for _, k := range []string{"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"} {
				p["book/"+strings.TrimPrefix(k, "xl/")] = p[k]
				delete(p, k)
			}
			p["book/_rels/workbook.xml.rels"] = p["xl/_rels/workbook.xml.rels"]
			delete(p, "xl/_rels/workbook.xml.rels")
			p["_rels/.rels"] = strings.ReplaceAll(p["_rels/.rels"], "xl/workbook.xml", "book/workbook.xml")
		}, "Sheet1"},
		// excelize cannot open this one (checked below).
		{"no package relationships", func(p map[string]string) { delete(p, "_rels/.rels") }, "Sheet1"},
		{"percent-escaped target", func(p map[string]string) {
			p["xl/worksheets/sheet 1.xml"] = p["xl/worksheets/sheet1.xml"]
			delete(p, "xl/worksheets/sheet1.xml")
			p["xl/_rels/workbook.xml.rels"] = strings.ReplaceAll(p["xl/_rels/workbook.xml.rels"], "sheet1.xml", "sheet%201.xml")
		}, "Sheet1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pkg(sheet, sstXML("hello"))
			tt.edit(p)
			path := writeZip(t, t.TempDir(), p)
			if tt.name == "no package relationships" {
				if _, _, err := readExcelize(path); err == nil {
					t.Error("excelize now opens a package without _rels/.rels: update the package doc")
				}
			}
			b, err := OpenFile(context.Background(), path, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			var got []string
			err = b.Rows(context.Background(), tt.sheet, func(_ int, cells []Cell) error {
				got = Strings(got, cells)
				return nil
			})
			if err != nil || !slices.Equal(got, []string{"hello"}) {
				t.Errorf("got %q, %v", got, err)
			}
		})
	}
}

func TestSheetsAndDates(t *testing.T) {
	dir := testbook.CorpusDir(t)
	open := func(name string) *Book {
		t.Helper()
		b, err := OpenFile(context.Background(), filepath.Join(dir, name), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	// Strict OOXML with hidden and very hidden sheets.
	var got []string
	for _, s := range open("sheetjs__sheet_visibility_strict.xlsx").Sheets() {
		got = append(got, s.Name+":"+s.State+":"+s.Kind)
	}
	want := []string{"Visible:visible:worksheet", "Hidden:hidden:worksheet", "VeryHidden:veryHidden:worksheet"}
	if !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	for name, want := range map[string]bool{
		"calamine__date_1904.xlsx": true, "sheetjs__1904_1904.xlsx": true, "tealeg__testcelltypes.xlsx": true,
		"calamine__date_iso.xlsx": false, "excelize__Book1.xlsx": false,
	} {
		if got := open(name).Date1904(); got != want {
			t.Errorf("%s: Date1904() = %v", name, got)
		}
	}
	// A chartsheet is listed with its kind; the workbook lists sheets
	// whose parts are missing.
	kinds := map[string]string{}
	for _, s := range open("calamine__any_sheets.xlsx").Sheets() {
		kinds[s.Name] = s.Kind + ":" + s.State
	}
	if !strings.HasPrefix(kinds["Chart"], "chartsheet:") {
		t.Errorf("sheets %v: no chartsheet Chart", kinds)
	}
	b := open("tealeg__badfile_noWorksheets.xlsx")
	if n := len(b.Sheets()); n != 3 {
		t.Errorf("%d sheets listed, want 3", n)
	}
	for _, s := range b.Sheets() {
		if err := b.Rows(context.Background(), s.Name, nil); !errors.Is(err, ErrNoSheet) || s.Part != "" {
			t.Errorf("%s: part %q, Rows: %v, want ErrNoSheet", s.Name, s.Part, err)
		}
	}
	if err := b.Rows(context.Background(), "none such", nil); !errors.Is(err, ErrNoSheet) {
		t.Errorf("Rows of an unknown sheet: %v", err)
	}
}

// manyRows is a sheet of n rows of 14 cells like the organization sheet.
func manyRows(n int) string {
	var b strings.Builder
	for r := 1; r <= n; r++ {
		fmt.Fprintf(&b, `<row r="%d" spans="1:14">`, r)
		for c := 0; c < 14; c++ {
			col := string(rune('A' + c))
			switch c % 3 {
			case 0:
				fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t>沈阳市第%d社会组织 &amp; 协会</t></is></c>`, col, r, r)
			case 1:
				fmt.Fprintf(&b, `<c r="%s%d"><v>%d</v></c>`, col, r, r*c)
			default:
				fmt.Fprintf(&b, `<c r="%s%d" t="s"><v>%d</v></c>`, col, r, r%2)
			}
		}
		b.WriteString(`</row>`)
	}
	return sheetXML(b.String())
}

// TestStopAndCancel: fn ends the scan with ErrStop or its own error; a
// cancelled context ends it too.
func TestStopAndCancel(t *testing.T) {
	// 12,000 rows are over readaheadMin: the sheet is inflated in a
	// goroutine, which an early end must stop.
	const rows = 12000
	sheet := manyRows(rows)
	if len(sheet) <= readaheadMin {
		t.Fatalf("the sheet (%d bytes) is too small for the readahead", len(sheet))
	}
	path := writeZip(t, t.TempDir(), pkg(sheet, sstXML("a", "b")))
	b, err := OpenFile(context.Background(), path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := 0
	err = b.Rows(context.Background(), "Sheet1", func(row int, cells []Cell) error {
		n++
		if row == 10 {
			return ErrStop
		}
		return nil
	})
	if err != nil || n != 10 {
		t.Errorf("ErrStop: %d rows, %v", n, err)
	}
	mine := errors.New("mine")
	if err := b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { return mine }); !errors.Is(err, mine) {
		t.Errorf("fn's error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = b.Rows(ctx, "Sheet1", func(int, []Cell) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n > 1024 {
		t.Errorf("cancelled: %d rows, %v", n, err)
	}
	n = 0
	if err := b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { n++; return nil }); err != nil || n != rows {
		t.Errorf("whole sheet: %d rows, %v", n, err)
	}
}

// TestNoAllocPerRow: once the buffers are warm, a row costs no
// allocation (values are sub-slices; shared strings are the table's).
func TestNoAllocPerRow(t *testing.T) {
	tab, err := parseSharedStrings([]byte(sstXML("a", "b")))
	if err != nil {
		t.Fatal(err)
	}
	allocs := func(rows int) float64 {
		sheet := []byte(manyRows(rows))
		return testing.AllocsPerRun(5, func() {
			s := newScanner(bytes.NewReader(sheet), uint64(len(sheet)), 1<<20,
				func() (*sharedStrings, error) { return tab, nil })
			n := 0
			if err := s.run(context.Background(), func(_ int, cells []Cell) error {
				n += len(cells[0].Value) + len(cells[2].String()) // [2] is a shared string
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(1000), allocs(20000)
	// The difference is the cell slice growing and nothing per row.
	if large-small > 5 {
		t.Errorf("%.0f allocations for 1,000 rows, %.0f for 20,000", small, large)
	}
}

// TestLimits: packages over the limits are refused quickly with ErrLimit,
// whatever their parts really hold.
func TestLimits(t *testing.T) {
	sheet := manyRows(200)
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		lim  Limits
		open bool // the limit bites in Open (else in Rows)
	}{
		{"too many parts", func() string {
			p := pkg(sheet, sstXML("a", "b"))
			for i := range 30 {
				p[fmt.Sprintf("xl/media/x%d.bin", i)] = "x"
			}
			return writeZip(t, dir, p)
		}(), Limits{MaxEntries: 20}, true},
		{"too much uncompressed", writeZip(t, dir, pkg(sheet, sstXML("a", "b"))), Limits{MaxTotal: 10 << 10}, true},
		{"sheet too large", writeZip(t, dir, pkg(sheet, sstXML("a", "b"))), Limits{MaxSheet: 10 << 10}, false},
		{"shared strings too large", writeZip(t, dir, pkg(sheet, sstXML(strings.Repeat("x", 20<<10), "b"))), Limits{MaxPart: 10 << 10}, false},
		{"row too large", writeZip(t, dir, pkg(sheetXML(`<row r="1"><c t="inlineStr"><is><t>`+strings.Repeat("y", 100<<10)+`</t></is></c></row>`), sstXML("a"))),
			Limits{MaxRowBytes: 64 << 10}, false},
		{"too many sheets", func() string {
			p := pkg(sheet, sstXML("a", "b"))
			p["xl/workbook.xml"] = strings.Replace(p["xl/workbook.xml"], "</sheets>",
				strings.Repeat(`<sheet name="x" sheetId="9" r:id="rId9"/>`, 10)+"</sheets>", 1)
			return writeZip(t, dir, p)
		}(), Limits{MaxSheets: 5}, true},
		// A declared size over the default total (512 MiB), with a few
		// bytes of data: refused from the directory, nothing inflated.
		{"zip bomb by declared size", bombZip(t, dir, 600<<20), Limits{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := OpenFile(context.Background(), tt.path, tt.lim)
			if tt.open {
				if !errors.Is(err, ErrLimit) || errors.Is(err, ErrUnsupported) {
					t.Fatalf("Open: %v, want ErrLimit only", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			err = b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { return nil })
			if !errors.Is(err, ErrLimit) {
				t.Errorf("Rows: %v, want ErrLimit", err)
			}
		})
	}
}

// bombZip writes a package whose sheet declares size bytes uncompressed.
func bombZip(t *testing.T, dir string, size uint64) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, v := range pkg("", sstXML("a")) {
		if v == "" {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(v))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{0x03, 0x00})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "bomb.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLyingSizes: a part that inflates to more than it declares, or whose
// CRC is wrong, is malformed: the zip reader stops it (the scanner reads
// every sheet to its end so that the CRC is checked).
func TestLyingSizes(t *testing.T) {
	sheet := []byte(manyRows(100))
	for _, tt := range []struct {
		name string
		size uint64
		crc  uint32
	}{
		{"declares less", uint64(len(sheet) / 2), 0},
		{"wrong CRC", uint64(len(sheet)), 12345},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for name, v := range pkg("", sstXML("a", "b")) {
				if v != "" {
					w, _ := zw.Create(name)
					w.Write([]byte(v))
				}
			}
			var comp bytes.Buffer
			fw, _ := flateWriter(&comp)
			fw.Write(sheet)
			fw.Close()
			w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
				CRC32: tt.crc, CompressedSize64: uint64(comp.Len()), UncompressedSize64: tt.size})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(comp.Bytes())
			zw.Close()
			b, err := Open(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			err = b.Rows(context.Background(), "Sheet1", func(int, []Cell) error { return nil })
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("Rows: %v, want ErrMalformed", err)
			}
		})
	}
}

func flateWriter(w *bytes.Buffer) (*flate.Writer, error) { return flate.NewWriter(w, flate.BestSpeed) }

// TestReadahead: bytes in order, then the reader's error.
func TestReadahead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 10000)
	boom := errors.New("boom")
	ra := newReadahead(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)), 777, 3)
	got, err := io.ReadAll(ra)
	ra.Close()
	if !bytes.Equal(got, data) || !errors.Is(err, boom) {
		t.Errorf("read %d bytes (equal %v), %v", len(got), bytes.Equal(got, data), err)
	}
	// Closed before the end: the producer stops.
	ra = newReadahead(bytes.NewReader(data), 100, 2)
	buf := make([]byte, 10)
	if _, err := ra.Read(buf); err != nil {
		t.Fatal(err)
	}
	ra.Close()
}
