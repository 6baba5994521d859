package report

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// annotateOpen limits what tests opening a corpus workbook with excelize
// may unpack.
var annotateOpen = excelize.Options{UnzipSizeLimit: 2 << 30, UnzipXMLSizeLimit: 64 << 20}

// anRepack rewrites the workbook at path: edit may change a part (nil
// drops it), and add adds parts at the end.
func anRepack(t testing.TB, path string, edit func(name string, data []byte) []byte, add map[string]string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			if data = edit(f.Name, data); data == nil {
				continue
			}
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zr.Close()
	names := make([]string, 0, len(add))
	for n := range add {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, add[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// anParts reads every part of a package.
func anParts(t testing.TB, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// The copy is a plain .xlsx of the parts the workbook's relationships
// reach, written without execute bits: macros, their relationship and
// content type, and parts nothing points at are left out.
func TestAnnotatePackageHygiene(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	anRepack(t, in, func(name string, data []byte) []byte {
		switch name {
		case "[Content_Types].xml":
			s := strings.Replace(string(data), "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml", 1)
			return []byte(strings.Replace(s, "</Types>", `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>`, 1))
		case "xl/_rels/workbook.xml.rels":
			return []byte(strings.Replace(string(data), "</Relationships>", `<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>`, 1))
		}
		return data
	}, map[string]string{"xl/vbaProject.bin": "MACRO", "junk/orphan.bin": "nothing points here", "xl/media/unused.png": "x"})
	out := filepath.Join(t.TempDir(), "标注.xlsx")
	if err := Annotate(context.Background(), book, annotatedResult(book, in), out); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm&0o111 != 0 || perm&0o600 != 0o600 {
		t.Errorf("mode = %v, want rw-r--r-- (0644 less the umask)", perm)
	}
	parts := anParts(t, out)
	for _, gone := range []string{"xl/vbaProject.bin", "junk/orphan.bin", "xl/media/unused.png"} {
		if _, ok := parts[gone]; ok {
			t.Errorf("%s kept in the copy", gone)
		}
	}
	for name, bad := range map[string]string{"[Content_Types].xml": "macroEnabled", "xl/_rels/workbook.xml.rels": "vbaProject"} {
		if strings.Contains(parts[name], bad) {
			t.Errorf("%s still mentions %s:\n%s", name, bad, parts[name])
		}
	}
	if strings.Contains(parts["[Content_Types].xml"], `PartName="/xl/vbaProject.bin"`) {
		t.Error("content type of the dropped macro part kept")
	}
	// The city's own comment (A2) and two new ones, each with its note
	// in the drawing Excel shows comments from.
	var vml string
	for n, b := range parts {
		if strings.HasSuffix(n, ".vml") && strings.Contains(b, `<x:Row>1</x:Row><x:Column>0</x:Column>`) {
			vml += b
		}
	}
	if n := strings.Count(vml, `ObjectType="Note"`); n != 3 {
		t.Errorf("社会组织's drawing has %d notes, want 3:\n%s", n, vml)
	}
	if !reflect.DeepEqual(allValues(t, out)["社会组织"], allValues(t, in)["社会组织"]) {
		t.Error("values changed")
	}
}

// Marks on cells the sheet does not have: inside an existing row, in a
// missing row between rows, after the last row, on an empty sheet; the
// new cells take the column's style, filled.
func TestAnnotateMissingCells(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	f, err := excelize.OpenFile(in)
	if err != nil {
		t.Fatal(err)
	}
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	if err := f.SetColStyle("社会组织", "Z", pct); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("空表"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before := allValues(t, in)
	fs := []model.Finding{
		{Severity: model.Error, Code: "E_TYPE", Sheet: "社会组织", Row: 3, Column: "Z", Message: "行内缺的格"},
		{Severity: model.Warning, Code: "W_OUTLIER", Sheet: "社会组织", Row: 2, Column: "AB", Message: "行尾之后"},
		{Severity: model.Error, Code: "E_TYPE", Sheet: "社会组织", Row: 500, Column: "C", Message: "最后一行之后"},
		{Severity: model.Error, Code: "E_TYPE", Sheet: "空表", Row: 4, Column: "B", Message: "空表"},
	}
	out := filepath.Join(t.TempDir(), "标注.xlsx")
	if err := Annotate(context.Background(), book, &model.Result{File: in, Workbook: &model.Workbook{Path: in}, Findings: fs}, out); err != nil {
		t.Fatal(err)
	}
	after := allValues(t, out)
	for s, v := range before {
		if !reflect.DeepEqual(after[s], v) {
			t.Errorf("sheet %s changed", s)
		}
	}
	g, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, c := range []struct{ sheet, cell, fill string }{
		{"社会组织", "Z3", ErrorFill}, {"社会组织", "AB2", WarningFill}, {"社会组织", "C500", ErrorFill}, {"空表", "B4", ErrorFill},
	} {
		st := cellStyle(t, g, c.sheet, c.cell)
		if got := fillOf(st); got != c.fill {
			t.Errorf("%s!%s fill = %q, want %q", c.sheet, c.cell, got, c.fill)
		}
		cs, _ := g.GetComments(c.sheet)
		found := false
		for _, cm := range cs {
			found = found || cm.Cell == c.cell
		}
		if !found {
			t.Errorf("%s!%s has no comment", c.sheet, c.cell)
		}
	}
	if st := cellStyle(t, g, "社会组织", "Z3"); st.NumFmt != 10 {
		t.Errorf("社会组织!Z3 lost its column's number format: %+v", st)
	}
}

// Excel's own reader is not available here; openpyxl (installed by
// scripts/deps.sh) is a second, independent reader of the copy.
func TestAnnotateOpenpyxl(t *testing.T) {
	py := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} { // Debian's, as scripts/bench.sh uses
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		t.Skip("openpyxl not installed (scripts/deps.sh installs python3-openpyxl)")
	}
	book := spec.Load()
	in := styledBook(t)
	out := filepath.Join(t.TempDir(), "标注.xlsx")
	if err := Annotate(context.Background(), book, annotatedResult(book, in), out); err != nil {
		t.Fatal(err)
	}
	script := `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames[0])
print(wb.active.title)
ws = wb["社会组织"]
print(ws["A2"].fill.fgColor.rgb)
print(ws["N2"].fill.fgColor.rgb)
print(ws["N2"].number_format)
print(ws["A2"].comment.text.replace("\n", " "))
print(wb.sheetnames[0] and wb[wb.sheetnames[0]]["E4"].hyperlink.location)
print(ws["A2"].value)
`
	b, err := exec.Command(py, "-c", script, out).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, b)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := []string{ResultsSheet, ResultsSheet, "FF" + ErrorFill, "FF" + WarningFill, `yyyy"年"m"月"d"日"`}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Errorf("openpyxl line %d = %q, want %q\n%s", i, lines[min(i, len(lines)-1)], w, b)
		}
	}
	if len(lines) < 8 || !strings.Contains(lines[5], "E_CREDIT_CODE") || !strings.Contains(lines[5], "已与登记机关核对") ||
		lines[6] != "'社会组织'!A2" || lines[7] != testbook.Org(0) {
		t.Errorf("openpyxl read:\n%s", b)
	}
}

// Only the rows with findings are touched: every other row of a marked
// sheet is the original's XML, byte for byte.
func TestAnnotateTouchesOnlyMarkedRows(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	out := filepath.Join(t.TempDir(), "标注.xlsx")
	if err := Annotate(context.Background(), book, annotatedResult(book, in), out); err != nil {
		t.Fatal(err)
	}
	rowsOf := func(xml string) map[string]string {
		m := map[string]string{}
		for _, r := range regexp.MustCompile(`<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)`).FindAllStringSubmatch(xml, -1) {
			m[r[1]] = r[0]
		}
		return m
	}
	orig, cp := anParts(t, in), anParts(t, out)
	for part, marked := range map[string][]string{
		"xl/worksheets/sheet2.xml": {"2", "3"}, // 社会组织: A2, N2, G3
		"xl/worksheets/sheet3.xml": {"1", "3"}, // 代表人士: A1 (missing column), A3
	} {
		a, b := rowsOf(orig[part]), rowsOf(cp[part])
		if len(a) < 3 || len(a) != len(b) {
			t.Fatalf("%s: %d rows, copy %d", part, len(a), len(b))
		}
		for r, x := range a {
			touched := slices.Contains(marked, r)
			if touched == (b[r] == x) {
				t.Errorf("%s row %s: touched=%v, want %v\norig %s\ncopy %s", part, r, b[r] != x, touched, x, b[r])
			}
		}
	}
}

// Markup inside a cell's text (CDATA holding "<row …>") must not be
// taken for rows: the copy is either faithful or refused, never wrong.
// A cancelled job leaves no copy.
func TestAnnotateMarkupInTextAndCancel(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	anRepack(t, in, func(name string, data []byte) []byte {
		if name != "xl/worksheets/sheet2.xml" {
			return data
		}
		re := regexp.MustCompile(`<c r="B2"[^>]*?(/>|>.*?</c>)`)
		if !re.Match(data) {
			t.Fatal("no B2 in 社会组织")
		}
		return re.ReplaceAll(data, []byte(`<c r="B2" t="inlineStr"><is><t><![CDATA[<row r="9"><c r="A9" s="0"/></row>]]></t></is></c>`))
	}, nil)
	before := allValues(t, in)
	for _, row := range []int{3, 9} {
		out := filepath.Join(t.TempDir(), "标注.xlsx")
		r := &model.Result{File: in, Workbook: &model.Workbook{Path: in}, Findings: []model.Finding{
			{Severity: model.Error, Code: "E_TYPE", Sheet: "社会组织", Row: row, Column: "A", Message: "测试"}}}
		err := Annotate(context.Background(), book, r, out)
		if err != nil {
			t.Logf("row %d: refused: %v", row, err)
			if !strings.Contains(err.Error(), "与原件不一致") {
				t.Errorf("row %d: err = %v, want a refusal", row, err)
			}
			if _, serr := os.Stat(out); !os.IsNotExist(serr) {
				t.Errorf("row %d: a refused copy was written", row)
			}
			continue
		}
		if after := allValues(t, out); !reflect.DeepEqual(after["社会组织"], before["社会组织"]) {
			t.Errorf("row %d: 社会组织 changed", row)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "标注.xlsx")
	if err := Annotate(ctx, book, annotatedResult(book, styledBook(t)), out); err == nil {
		t.Error("cancelled: no error")
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 0 {
		t.Errorf("cancelled: left %v", ents)
	}
}

// A package without a style part gets one, at the name excelize and
// openpyxl read it from, and its marked cells are filled.
func TestAnnotateNoStylePart(t *testing.T) {
	book := spec.Load()
	p := filepath.Join(testbook.CorpusDir(t), "tealeg__noStylesAndSharedStringsTest.xlsx")
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	f.Close()
	out := filepath.Join(t.TempDir(), "标注.xlsx")
	r := &model.Result{File: p, Workbook: &model.Workbook{Path: p}, Findings: []model.Finding{
		{Severity: model.Error, Code: "E_TYPE", Sheet: sheet, Row: 1, Column: "A", Message: "测试"}}}
	if err := Annotate(context.Background(), book, r, out); err != nil {
		t.Fatal(err)
	}
	styles, ok := anParts(t, out)["xl/styles.xml"]
	if !ok || !strings.Contains(styles, `rgb="FF`+ErrorFill+`"`) {
		t.Errorf("no xl/styles.xml with the red fill in the copy:\n%s", styles)
	}
	g, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	// Without a theme part excelize gives the fill without its colour;
	// the pattern tells that the cell has ours.
	if st := cellStyle(t, g, sheet, "A1"); st.Fill.Type != "pattern" || st.Fill.Pattern != 1 {
		t.Errorf("%s!A1 fill = %+v, want a solid fill", sheet, st.Fill)
	}
}
