package report

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/ingest/model"
	"ufa/internal/codes"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// styledBook writes testbook's valid workbook with what real workbooks
// carry and an annotation must keep: fonts, borders, number formats, a
// real date, a formula, a comment of the city's own, a print area.
func styledBook(t *testing.T) string {
	t.Helper()
	path, err := testbook.Valid().WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 2}}
	boldBorder, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "1F4E79", Family: "宋体", Size: 11}, Border: border})
	must(err)
	must(f.SetCellStyle("社会组织", "A2", "A2", boldBorder))
	datefmt := "yyyy\"年\"m\"月\"d\"日\""
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &datefmt, Border: border})
	must(err)
	must(f.SetCellValue("社会组织", "N2", time.Date(2010, 5, 4, 0, 0, 0, 0, time.UTC)))
	must(f.SetCellStyle("社会组织", "N2", "N2", dateStyle))
	twoDec, err := f.NewStyle(&excelize.Style{NumFmt: 2})
	must(err)
	must(f.SetCellStyle("社会组织", "G3", "G3", twoDec))
	must(f.SetCellFormula("联系活动", "I2", "H2+H3"))
	must(f.AddComment("社会组织", excelize.Comment{Cell: "A2", Author: "张三", Text: "已与登记机关核对"}))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: "'社会组织'!$A$1:$N$4", Scope: "社会组织"}))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'代表人士'!$1:$1", Scope: "代表人士"}))
	must(f.Save())
	return path
}

// allValues reads every cell value, as Excel shows it, of every sheet.
func allValues(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			continue // a chartsheet has no cells
		}
		raw, _ := f.GetRows(s, excelize.Options{RawCellValue: true})
		out[s] = append(rows, raw...)
	}
	return out
}

func annotatedResult(book *spec.Book, path string) *model.Result {
	city, _ := book.City(testbook.City)
	return &model.Result{
		File: path,
		Workbook: &model.Workbook{Path: path, City: &city, Month: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Tables: map[string]*model.Table{
			spec.SheetRepresentatives: {Spec: book.Sheet(spec.SheetRepresentatives), Name: "代表人士", HeaderRow: 1},
			spec.SheetOrganizations:   {Spec: book.Sheet(spec.SheetOrganizations), Name: "社会组织", HeaderRow: 1},
		}},
		Findings: []model.Finding{
			{Severity: model.Error, Code: "E_CREDIT_CODE", Sheet: "社会组织", Row: 2, Column: "A", Field: "credit_code", Value: testbook.Org(0), Message: "信用代码校验位错误：请核对登记证书"},
			{Severity: model.Warning, Code: "W_OUTLIER", Sheet: "社会组织", Row: 3, Column: "G", Field: "staff_total", Value: "40", Message: "人数异常：请核实"},
			{Severity: model.Error, Code: "E_CONSISTENCY", Sheet: "社会组织", Row: 3, Column: "G", Field: "staff_total", Value: "40", Message: "从业人员数不等于党员数与党外从业人员数之和"},
			{Severity: model.Warning, Code: "W_DIVISION", Sheet: "社会组织", Row: 2, Column: "N", Field: "founded_on", Value: "2010-05-04", Message: "日期可疑"},
			{Severity: model.Error, Code: "E_ID_NUMBER", Sheet: "代表人士", Row: 3, Column: "A", Field: "id_number", Value: testbook.Rep(1), Message: "年龄不在 18–100 岁之间"},
			{Severity: model.Error, Code: "E_COLUMN_MISSING", Sheet: "代表人士", Field: "gender", Message: "缺少列“性别”：请从模板复制该列"},
			{Severity: model.Error, Code: "E_SHEET_MISSING", Sheet: "工作机制情况", Message: "缺少工作表"},
			{Severity: model.Warning, Code: "W_TEMPLATE_VERSION", Sheet: "封面", Row: 7, Column: "B", Field: "template_version", Value: "2026.1", Message: "模板版本"},
		},
	}
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func fillOf(st *excelize.Style) string {
	if len(st.Fill.Color) == 0 {
		return ""
	}
	c := strings.ToUpper(st.Fill.Color[0])
	if len(c) == 8 { // ARGB
		c = c[2:]
	}
	return c
}

func commentText(c excelize.Comment) string {
	s := c.Text
	for _, r := range c.Paragraph {
		s += r.Text
	}
	return s
}

func TestAnnotate(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	before := allValues(t, in)
	orig, err := excelize.OpenFile(in)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()

	out := filepath.Join(t.TempDir(), "标注.xlsx")
	r := annotatedResult(book, in)
	if err := Annotate(context.Background(), book, r, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out + ".tmp.xlsx"); !os.IsNotExist(err) {
		t.Error("temporary file left behind")
	}

	// Nothing of the city's workbook changed but styles and comments.
	after := allValues(t, out)
	for s, v := range before {
		if !reflect.DeepEqual(after[s], v) {
			t.Errorf("sheet %s changed:\nbefore %q\nafter  %q", s, v, after[s])
		}
	}
	if after2 := allValues(t, in); !reflect.DeepEqual(after2, before) {
		t.Error("the original file changed")
	}

	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSheets := append([]string{ResultsSheet}, orig.GetSheetList()...)
	if got := f.GetSheetList(); !reflect.DeepEqual(got, wantSheets) {
		t.Errorf("sheets = %q, want %q", got, wantSheets)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet = %d, want 0 (%s)", f.GetActiveSheetIndex(), ResultsSheet)
	}

	// Fills: red for errors (also when a warning shares the cell), yellow
	// for warnings; the rest of each style kept.
	fills := []struct{ sheet, cell, want string }{
		{"社会组织", "A2", ErrorFill}, {"社会组织", "G3", ErrorFill}, {"社会组织", "N2", WarningFill},
		{"代表人士", "A3", ErrorFill}, {"代表人士", "A1", ErrorFill}, {"封面", "B7", WarningFill},
		{"社会组织", "B2", ""}, {"社会组织", "G2", ""},
	}
	for _, c := range fills {
		if got := fillOf(cellStyle(t, f, c.sheet, c.cell)); got != c.want {
			t.Errorf("%s!%s fill = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	for _, c := range []struct{ sheet, cell string }{{"社会组织", "A2"}, {"社会组织", "N2"}, {"社会组织", "G3"}} {
		was, now := cellStyle(t, orig, c.sheet, c.cell), cellStyle(t, f, c.sheet, c.cell)
		now.Fill = was.Fill
		if !reflect.DeepEqual(was, now) {
			t.Errorf("%s!%s style changed beyond its fill:\nbefore %+v\nafter  %+v", c.sheet, c.cell, was, now)
		}
	}
	if st := cellStyle(t, f, "社会组织", "A2"); st.Font == nil || !st.Font.Bold || len(st.Border) != 4 {
		t.Errorf("社会组织!A2 lost its font or borders: %+v", st)
	}

	// Comments by ufa, with every finding of the cell; the city's own kept.
	cs, err := f.GetComments("社会组织")
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[string]excelize.Comment{}
	for _, c := range cs {
		byCell[c.Cell] = c
	}
	if len(byCell) != 3 {
		t.Errorf("社会组织 has %d comments, want 3: %+v", len(byCell), cs)
	}
	for cell, wants := range map[string][]string{
		"A2": {"错误 E_CREDIT_CODE：信用代码校验位错误：请核对登记证书", "已与登记机关核对", "张三"},
		"G3": {"警告 W_OUTLIER：人数异常：请核实", "错误 E_CONSISTENCY：从业人员数不等于"},
		"N2": {"警告 W_DIVISION：日期可疑"},
	} {
		c := byCell[cell]
		if c.Author != CommentAuthor {
			t.Errorf("comment %s author = %q, want %q", cell, c.Author, CommentAuthor)
		}
		for _, w := range wants {
			if !strings.Contains(commentText(c), w) {
				t.Errorf("comment %s = %q, lacks %q", cell, commentText(c), w)
			}
		}
	}
	rc, _ := f.GetComments("代表人士")
	if len(rc) != 2 || !strings.Contains(commentText(rc[0])+commentText(rc[1]), "E_COLUMN_MISSING（代表人士）：缺少列") {
		t.Errorf("代表人士 comments = %+v", rc)
	}

	// The results sheet: summary, frozen bold header, one row per finding
	// in report order, masked IDs, links to the cells.
	rows, err := f.GetRows(ResultsSheet)
	if err != nil {
		t.Fatal(err)
	}
	if want := testbook.FileName + "：" + Verdict(r); rows[0][0] != want {
		t.Errorf("A1 = %q, want %q", rows[0][0], want)
	}
	if want := []string{"序号", "严重程度", "代码", "工作表", "单元格", "字段", "值", "说明"}; !reflect.DeepEqual(rows[1], want) {
		t.Errorf("header = %q", rows[1])
	}
	if !cellStyle(t, f, ResultsSheet, "C2").Font.Bold {
		t.Error("header not bold")
	}
	if p, err := f.GetPanes(ResultsSheet); err != nil || !p.Freeze || p.YSplit != 2 {
		t.Errorf("panes = %+v, %v; want frozen above row 3", p, err)
	}
	want := [][]string{
		{"1", "警告", "W_TEMPLATE_VERSION", "封面", "B7", "模板版本", "2026.1", "模板版本"},
		{"2", "错误", "E_CREDIT_CODE", "社会组织", "A2", "统一社会信用代码", testbook.Org(0), "信用代码校验位错误：请核对登记证书"},
		{"3", "警告", "W_DIVISION", "社会组织", "N2", "成立日期", "2010-05-04", "日期可疑"},
		{"4", "警告", "W_OUTLIER", "社会组织", "G3", "从业人员数", "40", "人数异常：请核实"},
		{"5", "错误", "E_CONSISTENCY", "社会组织", "G3", "从业人员数", "40", "从业人员数不等于党员数与党外从业人员数之和"},
		{"6", "错误", "E_COLUMN_MISSING", "代表人士", "A1", "性别", "", "缺少列“性别”：请从模板复制该列"},
		{"7", "错误", "E_ID_NUMBER", "代表人士", "A3", "公民身份号码", codes.MaskID(testbook.Rep(1)), "年龄不在 18–100 岁之间"},
		{"8", "错误", "E_SHEET_MISSING", "工作机制情况", "", "", "", "缺少工作表"},
	}
	if !reflect.DeepEqual(rows[2:], want) {
		t.Errorf("results rows:\n%q\nwant\n%q", rows[2:], want)
	}
	for i, w := range want {
		cell := "E" + testbook.Itoa(i+3)
		ok, target, err := f.GetCellHyperLink(ResultsSheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		if w[4] == "" {
			if ok {
				t.Errorf("%s links to %q, want no link", cell, target)
			}
			continue
		}
		if wantT := "'" + w[3] + "'!" + w[4]; !ok || target != wantT {
			t.Errorf("%s link = %v %q, want %q", cell, ok, target, wantT)
		}
	}
	if s := fillOf(cellStyle(t, f, ResultsSheet, "B4")); s != ErrorFill {
		t.Errorf("severity cell fill = %q", s)
	}

	// Print settings keep their sheets although every sheet moved one place.
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Name+" "+dn.Scope] = dn.RefersTo
	}
	if got := names["_xlnm.Print_Area 社会组织"]; got != "'社会组织'!$A$1:$N$4" {
		t.Errorf("print area = %q (%v)", got, names)
	}
	if got := names["_xlnm.Print_Titles 代表人士"]; got != "'代表人士'!$1:$1" {
		t.Errorf("print titles = %q (%v)", got, names)
	}
	if got := names["_xlnm.Print_Titles "+ResultsSheet]; got != "'"+ResultsSheet+"'!$1:$2" {
		t.Errorf("results print titles = %q (%v)", got, names)
	}
}

func TestAnnotateRefusals(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	dir := t.TempDir()
	unreadable := &model.Result{File: in, Findings: []model.Finding{{Severity: model.Error, Code: "E_FILE", Message: "无法打开"}}}
	if err := Annotate(context.Background(), book, unreadable, filepath.Join(dir, "a.xlsx")); !errors.Is(err, ErrNotAnnotatable) {
		t.Errorf("E_FILE: err = %v, want ErrNotAnnotatable", err)
	}
	unreadable.Workbook = &model.Workbook{Path: in}
	if err := Annotate(context.Background(), book, unreadable, filepath.Join(dir, "a.xlsx")); !errors.Is(err, ErrNotAnnotatable) {
		t.Errorf("E_FILE with a workbook: err = %v, want ErrNotAnnotatable", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.xlsx")); !os.IsNotExist(err) {
		t.Error("a copy was written for an unreadable workbook")
	}
	before := allValues(t, in)
	if err := Annotate(context.Background(), book, annotatedResult(book, in), in); err == nil {
		t.Error("annotating onto the original: no error")
	}
	if err := Annotate(context.Background(), book, annotatedResult(book, in), filepath.Join(dir, "no", "such", "dir.xlsx")); err == nil {
		t.Error("unwritable output: no error")
	}
	if !reflect.DeepEqual(allValues(t, in), before) {
		t.Error("the original changed")
	}
}

// A workbook annotated twice gets a second results sheet rather than an
// error, and an empty result still gets its sheet saying so.
func TestAnnotateAgainAndClean(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	dir := t.TempDir()
	once := filepath.Join(dir, "once.xlsx")
	if err := Annotate(context.Background(), book, &model.Result{File: in, Workbook: &model.Workbook{Path: in}}, once); err != nil {
		t.Fatal(err)
	}
	twice := filepath.Join(dir, "twice.xlsx")
	if err := Annotate(context.Background(), book, annotatedResult(book, once), twice); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(twice)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list := f.GetSheetList()
	if list[0] != ResultsSheet+"2" || list[1] != ResultsSheet {
		t.Errorf("sheets = %q", list)
	}
	rows, _ := f.GetRows(ResultsSheet)
	if len(rows) != 3 || rows[2][0] != "未发现问题。" || !strings.HasSuffix(rows[0][0], "0 个错误，0 个警告；可以上报") {
		t.Errorf("clean results sheet = %q", rows)
	}
}

// On every real-world workbook excelize opens (broken and hostile ones
// are the reader's business and never reach annotation), marking cells
// on every sheet keeps every value as it was.
func TestAnnotateCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run")
	}
	book := spec.Load()
	dir := testbook.CorpusDir(t)
	skip := map[string]bool{}
	src, err := os.Open(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		l := sc.Text()
		for _, m := range []string{"HOSTILE", "MALFORMED", "FUZZED", "ENCRYPTED", "WRONG FORMAT"} {
			if strings.HasPrefix(l, "| ") && strings.Contains(l, m) {
				skip[strings.TrimSpace(strings.Split(l, "|")[1])] = true
			}
		}
	}
	src.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	out := t.TempDir()
	done, refused := 0, 0
	for _, p := range files {
		if skip[filepath.Base(p)] {
			continue
		}
		if st, err := os.Stat(p); err != nil || st.Size() > 100<<10 { // keep the run short; big files add time, not cases
			continue
		}
		f, err := excelize.OpenFile(p, annotateOpen)
		if err != nil {
			continue
		}
		var fs []model.Finding
		for _, s := range f.GetSheetList() {
			if _, err := f.GetRows(s); err != nil {
				continue
			}
			fs = append(fs,
				model.Finding{Severity: model.Error, Code: "E_TYPE", Sheet: s, Row: 1, Column: "A", Message: "测试"},
				model.Finding{Severity: model.Warning, Code: "W_OUTLIER", Sheet: s, Row: 3, Column: "C", Message: "测试"},
				model.Finding{Severity: model.Error, Code: "E_REQUIRED", Sheet: s, Row: 2, Message: "整行"})
		}
		f.Close()
		t0 := time.Now()
		before := allValues(t, p)
		dst := filepath.Join(out, filepath.Base(p))
		if err := Annotate(context.Background(), book, &model.Result{File: p, Workbook: &model.Workbook{Path: p}, Findings: fs}, dst); err != nil {
			// Refusing is allowed (excelize cannot rewrite every odd
			// package); crashing or a half-written copy is not.
			t.Logf("%s: refused: %v", filepath.Base(p), err)
			if _, err := os.Stat(dst); !os.IsNotExist(err) {
				t.Errorf("%s: copy written although annotation failed", filepath.Base(p))
			}
			refused++
			continue
		}
		t.Logf("%s %v", filepath.Base(p), time.Since(t0))
		after := allValues(t, dst)
		for s, v := range before {
			if !reflect.DeepEqual(after[s], v) {
				t.Errorf("%s: sheet %q changed", filepath.Base(p), s)
			}
		}
		done++
	}
	t.Logf("annotated %d corpus workbooks, refused %d", done, refused)
	if done < 40 {
		t.Errorf("only %d corpus workbooks annotated", done)
	}
}

// excelize mis-writes a Strict OOXML package and a sheet whose cells
// lack references; the copy is checked against the original and refused
// rather than handed back with other values than the city submitted.
func TestAnnotateRefusesUnfaithfulCopy(t *testing.T) {
	book := spec.Load()
	dir := testbook.CorpusDir(t)
	// A sheet whose cells lack references is streamed, not rewritten, by
	// the annotation: its copy keeps every value (excelize's rewrite did
	// not, and was refused).
	{
		p := filepath.Join(dir, "calamine__issue_261.xlsx")
		dst := filepath.Join(t.TempDir(), "copy.xlsx")
		r := &model.Result{File: p, Workbook: &model.Workbook{Path: p}, Findings: []model.Finding{
			{Severity: model.Error, Code: "E_TYPE", Sheet: "Some Sheet", Row: 1, Column: "A", Message: "测试"}}}
		if err := Annotate(context.Background(), book, r, dst); err != nil {
			t.Fatalf("calamine__issue_261.xlsx: %v", err)
		}
		before, after := allValues(t, p), allValues(t, dst)
		for s, v := range before {
			if !reflect.DeepEqual(after[s], v) {
				t.Errorf("calamine__issue_261.xlsx: sheet %q changed", s)
			}
		}
	}
	for _, c := range []struct{ file, sheet string }{
		{"poi__SimpleStrict.xlsx", "Sheet1"},
		{"sheetjs__sheet_visibility_strict.xlsx", "Sheet1"},
	} {
		p := filepath.Join(dir, c.file)
		dst := filepath.Join(t.TempDir(), "copy.xlsx")
		r := &model.Result{File: p, Workbook: &model.Workbook{Path: p}, Findings: []model.Finding{
			{Severity: model.Error, Code: "E_TYPE", Sheet: c.sheet, Row: 1, Column: "A", Message: "测试"}}}
		err := Annotate(context.Background(), book, r, dst)
		if err == nil || !strings.Contains(err.Error(), "与原件不一致") {
			t.Errorf("%s: err = %v, want a refusal", c.file, err)
		}
		if _, err := os.Stat(dst); !os.IsNotExist(err) {
			t.Errorf("%s: an unfaithful copy was written", c.file)
		}
		if _, err := os.Stat(dst + ".tmp.xlsx"); !os.IsNotExist(err) {
			t.Errorf("%s: temporary file left", c.file)
		}
	}
}

// BenchmarkAnnotate: a workbook of 5,000 organizations with 500 findings.
func BenchmarkAnnotate(b *testing.B) {
	book := spec.Load()
	tb := testbook.Valid()
	orgs := tb.Sheet("社会组织")
	var fs []model.Finding
	for i := 0; i < 5000; i++ {
		row := append([]any{}, orgs.Rows[1]...)
		row[0] = testbook.CreditCode("51", "210100", 100+i)
		orgs.Rows = append(orgs.Rows, row)
		if i%10 == 0 {
			fs = append(fs, model.Finding{Severity: model.Error, Code: "E_RANGE", Sheet: "社会组织", Row: len(orgs.Rows), Column: "G", Field: "staff_total", Value: "25", Message: "测试"})
		}
	}
	path, err := tb.WriteIn(b.TempDir(), testbook.FileName)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "out.xlsx")
	r := &model.Result{File: path, Workbook: &model.Workbook{Path: path}, Findings: fs}
	b.ResetTimer()
	for range b.N {
		if err := Annotate(context.Background(), book, r, out); err != nil {
			b.Fatal(err)
		}
	}
}

// Control characters and huge texts from a workbook still give a copy
// Excel opens: no invalid XML characters, cells and comments within
// Excel's limits.
func TestAnnotateHostileText(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	huge := strings.Repeat("很长的说明", 8000) // 40,000 characters
	r := &model.Result{File: in, Workbook: &model.Workbook{Path: in}, Findings: []model.Finding{
		{Severity: model.Error, Code: "E_TYPE", Sheet: "社会组织", Row: 2, Column: "B", Field: "name", Value: "a\x07b\x1bc\x00d", Message: huge},
	}}
	out := filepath.Join(t.TempDir(), "out.xlsx")
	if err := Annotate(context.Background(), book, r, out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, _ := f.GetCellValue(ResultsSheet, "G3")
	if v != "abcd" {
		t.Errorf("value cell = %q, want the control characters dropped", v)
	}
	msg, _ := f.GetCellValue(ResultsSheet, "H3")
	if n := len([]rune(msg)); n > 32767 || n < 30000 {
		t.Errorf("message cell has %d characters", n)
	}
	cs, _ := f.GetComments("社会组织")
	found := false
	for _, c := range cs {
		if c.Cell == "B2" {
			found = true
			if n := len([]rune(commentText(c))); n > 32512 {
				t.Errorf("comment of %d characters", n)
			}
		}
	}
	if !found {
		t.Error("no comment on 社会组织!B2")
	}
}

// TestAnnotateSameBytes: annotating the same workbook twice gives the same
// file, so a city and the province can compare copies by checksum.
func TestAnnotateSameBytes(t *testing.T) {
	book := spec.Load()
	in := styledBook(t)
	r := annotatedResult(book, in)
	var got [][]byte
	for i := 0; i < 4; i++ {
		out := filepath.Join(t.TempDir(), "标注.xlsx")
		if err := Annotate(context.Background(), book, r, out); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, b)
	}
	for i := 1; i < len(got); i++ {
		if !bytes.Equal(got[0], got[i]) {
			t.Fatalf("annotation %d differs from the first", i+1)
		}
	}
}
