package xlsxscan

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

const (
	nsMain   = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel    = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relsNS   = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relTypes = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

// sheetXML wraps rows in a worksheet part.
func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet ` + nsMain + ` ` + nsRel + `><dimension ref="A1"/><sheetData>` + rows + `</sheetData><pageMargins left="0.7"/></worksheet>`
}

// sstXML makes a shared-string part of plain strings.
func sstXML(strs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<sst %s count="%d" uniqueCount="%d">`, nsMain, len(strs), len(strs))
	for _, s := range strs {
		fmt.Fprintf(&b, `<si><t xml:space="preserve">%s</t></si>`, s)
	}
	b.WriteString(`</sst>`)
	return b.String()
}

// pkg is the parts of a minimal workbook: one sheet "Sheet1" at
// xl/worksheets/sheet1.xml and a shared-string table. Tests replace or
// delete parts (an empty string deletes).
func pkg(sheet, sst string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<?xml version="1.0"?><Relationships ` + relsNS + `><Relationship Id="rId1" Type="` + relTypes +
			`officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0"?><workbook ` + nsMain + ` ` + nsRel +
			`><workbookPr/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships ` + relsNS + `>` +
			`<Relationship Id="rId1" Type="` + relTypes + `worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + relTypes + `sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheet,
		"xl/sharedStrings.xml":     sst,
	}
}

// writeZip writes the parts (sorted, deflated) to a file in dir.
func writeZip(t testing.TB, dir string, parts map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(parts))
	for n, v := range parts {
		if v != "" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, parts[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(dir, "*.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// scanParts reads Sheet1 of a package with the fast path.
func scanParts(t testing.TB, parts map[string]string) ([]row, error) {
	t.Helper()
	path := writeZip(t, t.TempDir(), parts)
	b, err := OpenFile(context.Background(), path, Limits{})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	var rows []row
	var buf []string
	err = b.Rows(context.Background(), "Sheet1", func(n int, cells []Cell) error {
		buf = Strings(buf, cells)
		rows = append(rows, row{n, slices.Clone(buf)})
		return nil
	})
	return rows, err
}

// scanWindow runs the scanner directly on sheet XML with a tiny window
// and a reader giving one byte at a time, so that every row is cut at
// every place and parsed again.
func scanWindow(sheet string, sst *sharedStrings, window int) ([]row, error) {
	s := newScanner(iotest.OneByteReader(strings.NewReader(sheet)), 0, 1<<20,
		func() (*sharedStrings, error) {
			if sst == nil {
				return &sharedStrings{offs: []uint32{0}}, nil
			}
			return sst, nil
		})
	s.buf = make([]byte, window)
	var rows []row
	var buf []string
	err := s.run(context.Background(), func(n int, cells []Cell) error {
		buf = Strings(buf, cells)
		rows = append(rows, row{n, slices.Clone(buf)})
		return nil
	})
	return rows, err
}

func rowsString(rows []row) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d%q ", r.n, r.cells)
	}
	return strings.TrimSpace(b.String())
}

// TestScanCells: hand-written sheets, each read by the fast path (whole,
// and through a tiny window), and by excelize where it reads them right.
func TestScanCells(t *testing.T) {
	sst := []string{"zero", "one", "  two  ", "三"}
	tests := []struct {
		name     string
		rows     string
		want     string
		excelize bool   // excelize reads it the same (checked)
		exGot    string // else what excelize reads (checked, so that the note stays true)
	}{
		{"numbers and shared strings", `<row r="1"><c r="A1"><v>1</v></c><c r="C1" t="s"><v>0</v></c><c r="D1" t="s"><v> 3 </v></c></row>`,
			`1["1" "" "zero" "三"]`, true, ""},
		{"no r on rows and cells", `<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>a</t></is></c></row>`,
			`1["1" "2"] 2["a"]`, true, ""},
		{"gaps and mixed r", `<row r="3"><c r="B3"><v>5</v></c><c><v>6</v></c></row><row><c r="A4"><v>7</v></c></row>`,
			`3["" "5" "6"] 4["7"]`, true, ""},
		{"entities", `<row r="1"><c r="A1" t="inlineStr"><is><t>&amp;&lt;&gt;&quot;&apos;&#65;&#x4E2D;&#20013;</t></is></c></row>`,
			`1["&<>\"'A中中"]`, true, ""},
		{"entity in attribute", `<row r="&#49;"><c r="&#65;1" t="&#115;"><v>1</v></c></row>`,
			`1["one"]`, true, ""},
		{"CDATA", `<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c></row>`,
			`1["<b>&amp;</b>"]`, true, ""},
		{"text, comment, CDATA and PI mixed", `<row r="1"><c r="A1"><v>1<!-- c -->2<![CDATA[3]]><?pi x?>4</v></c></row>`,
			`1["1234"]`, true, ""},
		{"comments between rows and cells", `<!-- a --><row r="1"><!-- b --><c r="A1"><!-- c --><v>1</v></c></row><?pi?>`,
			`1["1"]`, true, ""},
		{"rich text and phonetic runs", `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>ab</t></r><r><t xml:space="preserve"> cd</t></r><rPh sb="0" eb="1"><t>PH</t></rPh><phoneticPr fontId="1"/></is></c></row>`,
			`1["ab cd"]`, true, ""},
		{"t then runs", `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t><r><t>b</t></r></is></c></row>`,
			`1["ab"]`, true, ""},
		{"_xHHHH_ escapes", `<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b_x005F_x000D_c_x41_d_x0041_</t></is></c><c r="B1"><v>_x0041_</v></c></row>`,
			`1["a\rb_x000D_c_x41_dA" "_x0041_"]`, true, ""},
		{"escape split across runs", `<row r="1"><c r="A1" t="inlineStr"><is><r><t>_x00</t></r><r><t>41_</t></r></is></c></row>`,
			`1["A"]`, true, ""},
		{"line ends", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\r\nb\rc&#13;d</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t><![CDATA[x\r\ny]]></t></is></c></row>",
			`1["a\nb\nc\rd" "x\ny"]`, true, ""},
		{"white space kept", `<row r="1"><c r="A1" t="inlineStr"><is><t>  x  </t></is></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="inlineStr"><is><t> </t></is></c></row>`,
			`1["  x  " "  two  " " "]`, true, ""},
		{"types", `<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c><c r="C1" t="str"><f>"a"</f><v>a</v></c><c r="D1" t="d"><v>2026-03-14T00:00:00</v></c><c r="E1" t="n"><v>1.5E-3</v></c><c r="F1" t=""><v>7</v></c></row>`,
			`1["1" "#N/A" "a" "2026-03-14T00:00:00" "1.5E-3" "7"]`, true, ""},
		{"formula without value is a cell", `<row r="1"><c r="A1"><f>B1</f></c><c r="C1"><f t="shared" si="0"/></c><c r="D1"/></row><row r="2"><c r="A2"><f>1</f><v></v></c></row>`,
			`1["" "" ""] 2[""]`, true, ""},
		{"inlineStr without is reads v", `<row r="1"><c r="A1" t="inlineStr"><v>v</v></c><c r="B1" t="n"><is><t>ignored</t></is><v>2</v></c></row>`,
			`1["v" "2"]`, true, ""},
		{"empty values are no cells", `<row r="1"><c r="A1" t="s"><v></v></c><c r="B1" t="inlineStr"><is><t/></is></c><c r="C1"><v/></c><c r="D1"><v>4</v></c></row><row r="2"><c r="A2"/></row>`,
			`1["" "" "" "4"]`, true, ""},
		{"self-closing row, empty cells", `<row r="1"/><row r="2" spans="1:2"><c r="A2" s="3"/><c r="B2"><v>1</v></c></row>`,
			`2["" "1"]`, true, ""},
		{"namespace prefixes", `<x:row r="1" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A1" t="s"><x:v>1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:r><x:t>p</x:t></x:r></x:is></x:c></x:row>`,
			`1["one" "p"]`, true, ""},
		{"lower-case and absolute references", `<row r="1"><c r="b1"><v>1</v></c><c r="$D$1"><v>2</v></c></row>`,
			`1["" "1" "" "2"]`, true, ""},
		{"unknown children skipped", `<row r="1" x14ac:dyDescent="0.25" xmlns:x14ac="u"><c r="A1" s="1" cm="1" vm="2"><extLst><ext uri="u"><y>1</y></ext></extLst><v>1</v></c><extLst/></row>`,
			`1["1"]`, true, ""},
		{"white space everywhere", "<row r=\"1\" >\n  <c r=\"A1\"\n t=\"s\" >\n   <v>0</v >\n  </c >\n</row >\n",
			`1["zero"]`, true, ""},
		{"single-quoted attributes", `<row r='1'><c r='A1' t='inlineStr'><is><t>q</t></is></c></row>`,
			`1["q"]`, true, ""},
		{"last column and row", `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`,
			`1048576["` + strings.Repeat(`" "`, 16383) + `1"]`, true, ""},
		{"non-BMP and CJK", `<row r="1"><c r="A1" t="inlineStr"><is><t>😀 汉字 &#x1F600;</t></is></c></row>`,
			`1["😀 汉字 😀"]`, true, ""},
		// excelize drops escaped surrogates; a pair is the character it
		// encodes.
		{"escaped surrogate pair", `<row r="1"><c r="A1" t="inlineStr"><is><t>_xD83D__xDE00_|_xD83D_</t></is></c></row>`,
			`1["😀|"]`, false, `1["|"]`},
		{"no rows", ``, ``, true, ""},
	}
	table, err := parseSharedStrings([]byte(sstXML(sst...)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheet := sheetXML(tt.rows)
			parts := pkg(sheet, sstXML(sst...))
			got, err := scanParts(t, parts)
			if err != nil {
				t.Fatal(err)
			}
			if g := rowsString(got); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
			for _, w := range []int{1, 7, 64} {
				small, err := scanWindow(sheet, table, w)
				if err != nil {
					t.Fatalf("window %d: %v", w, err)
				}
				if d := diffRows(got, small); d != "" {
					t.Errorf("window %d: %s", w, d)
				}
			}
			_, es, err := readExcelize(writeZip(t, t.TempDir(), parts))
			if err != nil {
				t.Fatal(err)
			}
			if es["Sheet1"].err != nil {
				t.Fatalf("excelize: %v", es["Sheet1"].err)
			}
			switch ex := rowsString(es["Sheet1"].rows); {
			case tt.excelize && ex != tt.want:
				t.Errorf("excelize reads %s", ex)
			case !tt.excelize && ex != tt.exGot:
				t.Errorf("excelize reads %s, the test says %s", ex, tt.exGot)
			}
		})
	}
}

// TestScanRefuses: what the fast path does not read, and why.
func TestScanRefuses(t *testing.T) {
	tests := []struct {
		name      string
		sheet     string // whole part; "" means rows in sheetXML
		rows      string
		malformed bool // ErrMalformed (else only ErrUnsupported)
	}{
		{"row 0", "", `<row r="0"><c><v>1</v></c></row>`, false},
		{"beyond the last row", "", `<row r="1048577"><c><v>1</v></c></row>`, false},
		{"beyond the last column", "", `<row r="1"><c r="XFE1"><v>1</v></c></row>`, false},
		{"bad reference", "", `<row r="1"><c r="1A"><v>1</v></c></row>`, false},
		{"unknown type", "", `<row r="1"><c r="A1" t="x"><v>1</v></c></row>`, false},
		{"shared string out of range", "", `<row r="1"><c r="A1" t="s"><v>9</v></c></row>`, false},
		{"shared string index not a number", "", `<row r="1"><c r="A1" t="s"><v>x</v></c></row>`, false},
		{"element inside v", "", `<row r="1"><c r="A1"><v>1<b/>2</v></c></row>`, false},
		{"text inside c", "", `<row r="1"><c r="A1">x<v>1</v></c></row>`, false},
		{"cell hidden in an unknown element", "", `<row r="1"><x><c r="A1"><v>1</v></c></x></row>`, false},
		{"two t in a string item", "", `<row r="1"><c t="inlineStr"><is><t>a</t><t>b</t></is></c></row>`, false},
		{"DOCTYPE", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData/></worksheet>`, "", false},
		{"other encoding", `<?xml version="1.0" encoding="GB2312"?><worksheet><sheetData/></worksheet>`, "", false},
		{"UTF-16", "\xFF\xFE<\x00", "", false},
		{"invalid UTF-8", "", "<row r=\"1\"><c t=\"inlineStr\"><is><t>\xC3\x28</t></is></c></row>", true},
		{"control character", "", "<row r=\"1\"><c><v>\x01</v></c></row>", true},
		{"U+FFFE", "", "<row r=\"1\"><c><v>\uFFFE</v></c></row>", true},
		{"reference to NUL", "", `<row r="1"><c><v>&#0;</v></c></row>`, true},
		{"unknown entity", "", `<row r="1"><c><v>&nbsp;</v></c></row>`, true},
		{"unterminated entity", "", `<row r="1"><c><v>&amp</v></c></row>`, true},
		{"mismatched end tag", "", `<row r="1"><c><v>1</w></c></row>`, true},
		{"truncated", sheetXML(`<row r="1"><c><v>1</v></c></row>`)[:150], "", true},
		{"unquoted attribute", "", `<row r=1><c><v>1</v></c></row>`, true},
		{"'<' in an attribute", "", `<row r="1"><c r="A<1"><v>1</v></c></row>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheet := tt.sheet
			if sheet == "" {
				sheet = sheetXML(tt.rows)
			}
			_, err := scanParts(t, pkg(sheet, sstXML("a")))
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("err = %v, want ErrUnsupported", err)
			}
			if errors.Is(err, ErrMalformed) != tt.malformed {
				t.Errorf("err = %v, malformed %v", err, tt.malformed)
			}
			for _, w := range []int{1, 7} {
				if _, err := scanWindow(sheet, nil, w); !errors.Is(err, ErrUnsupported) {
					t.Errorf("window %d: err = %v", w, err)
				}
			}
		})
	}
}
