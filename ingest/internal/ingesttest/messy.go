package ingesttest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/internal/testing/testbook"
)

// Messy but valid workbooks, as cities really fill them in Excel and WPS
// (the reader's differential tests and the validator's TestMessyValid).

// Layout says how one sheet of a testbook is laid out in the file.
type Layout struct {
	Name    string   // the sheet's name in the file ("" keeps the canonical one)
	Titles  [][]any  // rows above the header; the first is merged across the header
	Headers []string // header spellings replacing the template's, by position ("" keeps)
	Seq     bool     // a 序号 column first
	Reverse bool     // columns in reverse order
	Blanks  []int    // blank rows inserted before these data rows (0-based)
	// Formulas: data row -> column name -> formula; the cell's value in
	// the book is its cached value.
	Formulas map[int]map[string]string
}

// MessyWrite writes b laid out as lay says, plus extra sheets. With
// date1904 the workbook uses the 1904 date system (time.Time cells are
// written in it).
func MessyWrite(t *testing.T, path string, b *testbook.Book, lay map[string]Layout, date1904 bool, extra map[string][][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	// Extra sheets first: the reader must not care about order.
	first := true
	newSheet := func(name string) {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
			first = false
			return
		}
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	for name, rows := range extra {
		newSheet(name)
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	// fixes lists the formula cells to patch afterwards: excelize marks
	// every formula cell t="str" and keeps the shared-string index of a
	// text written before as its value; Excel writes a number cached as a
	// number and a text cached as the text itself.
	var fixes []formulaFix
	for si, s := range b.Sheets {
		l := lay[s.Name]
		name := s.Name
		if l.Name != "" {
			name = l.Name
		}
		newSheet(name)
		width := len(s.Rows[0])
		order := make([]int, width)
		for i := range order {
			order[i] = i
			if l.Reverse {
				order[i] = width - 1 - i
			}
		}
		line := 1
		put := func(row []any) {
			cell, _ := excelize.CoordinatesToCellName(1, line)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
			line++
		}
		for i, title := range l.Titles {
			put(title)
			if i == 0 {
				last, _ := excelize.CoordinatesToCellName(width+btoi(l.Seq), 1)
				if err := f.MergeCell(name, "A1", last); err != nil {
					t.Fatal(err)
				}
			}
		}
		for r, src := range s.Rows {
			if r > 0 && containsInt(l.Blanks, r-1) {
				line++ // a blank row
			}
			var row []any
			if l.Seq {
				if r == 0 {
					row = append(row, "序号")
				} else {
					row = append(row, r)
				}
			}
			for _, i := range order {
				v := any(nil)
				if i < len(src) {
					v = src[i]
				}
				if r == 0 && i < len(l.Headers) && l.Headers[i] != "" {
					v = l.Headers[i]
				}
				row = append(row, v)
			}
			put(row)
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, line-1)
				if _, ok := v.(time.Time); ok {
					if err := f.SetCellStyle(name, cell, cell, dateStyle); err != nil {
						t.Fatal(err)
					}
				}
			}
			if r == 0 {
				continue
			}
			for colName, formula := range l.Formulas[r-1] {
				j := 0
				for k, i := range order {
					if s.Rows[0][i] == colName {
						j = k + btoi(l.Seq)
					}
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, line-1)
				if err := f.SetCellFormula(name, cell, formula); err != nil {
					t.Fatal(err)
				}
				fixes = append(fixes, formulaFix{fmt.Sprintf("xl/worksheets/sheet%d.xml", si+1+len(extra)), cell, row[j]})
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if len(fixes) > 0 {
		data = PatchZip(t, data, func(part string, xml []byte) []byte {
			for _, fx := range fixes {
				if fx.part != part {
					continue
				}
				re := regexp.MustCompile(`<c r="` + fx.cell + `"([^>]*?) t="str"(.*?)<v>[^<]*</v></c>`)
				if !re.Match(xml) {
					t.Fatalf("formula cell %s not found in %s", fx.cell, part)
				}
				if n, isNum := fx.cached.(int); isNum {
					xml = re.ReplaceAll(xml, []byte(fmt.Sprintf(`<c r="%s"$1$2<v>%d</v></c>`, fx.cell, n)))
				} else {
					xml = re.ReplaceAll(xml, []byte(fmt.Sprintf(`<c r="%s"$1 t="str"$2<v>%s</v></c>`, fx.cell, fx.cached)))
				}
			}
			return xml
		})
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

type formulaFix struct {
	part, cell string
	cached     any
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// PatchZip rewrites the parts of an xlsx package through fn.
func PatchZip(t testing.TB, data []byte, fn func(part string, xml []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(fn(zf.Name, body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// IDWithX returns a valid ID number whose check character is X.
func IDWithX() string {
	for s := 1; ; s += 2 {
		if id := testbook.IDNumber("210111", "19851212", s, true); id[17] == 'X' {
			return id
		}
	}
}

// MessyBook is Valid() as a clerk retyped it: aliases of values, booleans
// as ticks and letters, full-width digits, text dates in every accepted
// form, a lower-case x, a month and city written differently.
func MessyBook() *testbook.Book {
	b := testbook.Valid()
	b.Set("封面", 0, "填报单位", "沈阳")
	b.Set("封面", 0, "报送月份", "2026年10月")
	b.Set("封面", 0, "填报日期", "2026年11月3日")
	b.Set("封面", 0, "联系电话", "０２４－１２３４５６７８")

	b.Set("社会组织", 0, "统一社会信用代码", " "+strings.ToLower(testbook.Org(0))+" ")
	b.Set("社会组织", 0, "从业人员数", "２５")
	b.Set("社会组织", 0, "是否建立党组织", "√")
	b.Set("社会组织", 0, "是否有统战工作联络员", "Y")
	b.Set("社会组织", 0, "成立日期", "2010/5/4")
	b.Set("社会组织", 1, "组织类型", "民非")
	b.Set("社会组织", 1, "党外从业人员数", "40.0")
	b.Set("社会组织", 1, "是否建立党组织", "×")
	b.Set("社会组织", 1, "是否有统战工作联络员", "y")
	b.Set("社会组织", 2, "是否建立党组织", "n")
	b.Set("社会组织", 2, "是否有统战工作联络员", "N")
	b.Set("社会组织", 2, "成立日期", "2001.1.15")
	b.Set("社会组织", 2, "所在县(市、区)", "　沈河区　")

	x := IDWithX()
	b.Set("代表人士", 0, "政治面貌", "中国民主同盟")
	b.Set("代表人士", 0, "是否担任组织负责人", "✓")
	b.Set("代表人士", 0, "是否新媒体从业人员", "✗")
	b.Set("代表人士", 0, "纳入名单日期", "2020年3月1日")
	b.Set("代表人士", 1, "学历", "本科")
	b.Set("代表人士", 1, "所在组织统一社会信用代码", "５２"+testbook.Org(1)[2:])
	b.Set("代表人士", 1, "纳入名单日期", "20220715")
	b.Set("代表人士", 1, "是否重点联系", "FALSE")
	b.Set("代表人士", 2, "公民身份号码", strings.ToLower(x))
	b.Set("代表人士", 2, "纳入名单日期", "2026-10-08")
	b.Set("代表人士", 2, "是否纳入人才库", "0")

	b.Set("联系活动", 0, "活动日期", "2026/10/12")
	b.Set("联系活动", 0, "活动类型", "走访慰问")
	b.Set("联系活动", 0, "参加人数", "３")
	b.Set("联系活动", 1, "活动日期", "2026年10月20日")
	b.Set("联系活动", 1, "参加人数", "1,030")
	b.Set("联系活动", 1, "党委主要领导是否参加", "无")
	appendRow(b, "活动参加人员", []any{"SY-2026-10-02", x})

	b.Set("建言献策", 0, "报送日期", "20261015")
	b.Set("建言献策", 0, "是否被采纳", "有")
	b.Set("提名举荐", 0, "举荐日期", "2026.10.22")
	b.Set("提名举荐", 0, "结果", "待定")
	b.Set("工作机制", 0, "联谊交友制度", "√")
	b.Set("工作机制", 0, "信息反映制度", "×")
	b.Set("工作机制", 0, "年度工作经费（万元）", "１２.５")
	return b
}

// MessyLayout puts every sheet under an alias or an ordinal name, with
// aliased and annotated headers, titles, a merged title cell, shuffled
// columns, a 序号 column, blank rows and formula cells.
func MessyLayout() map[string]Layout {
	return map[string]Layout{
		"封面": {Name: "（一）基本信息", Titles: [][]any{{"辽宁省社会组织统战工作月报"}, {}}},
		"社会组织": {Name: "表2-社会组织名录",
			Titles: [][]any{{"沈阳市社会组织情况"}, {"填报说明：每个组织一行，带*为必填"}},
			Headers: []string{"信用代码*", "名称（必填）", "", "", "所在县区", "登记层级", "从业人员数\n(人)", "党员数",
				"", "", "", "统战联络员\n（是/否）"},
			Blanks:   []int{1, 2},
			Formulas: map[int]map[string]string{2: {"从业人员数": "H8+I8"}, 1: {"组织名称": `"沈阳市和平区"&"阳光学校"`}},
		},
		"代表人士":   {Name: "3、党外代表人士", Reverse: true, Headers: []string{"身份证号码(18位)"}, Blanks: []int{2}},
		"联系活动":   {Name: "4.活动情况", Seq: true},
		"活动参加人员": {Name: "参加人员", Headers: []string{"", "身份证号"}, Seq: true, Blanks: []int{0, 3}},
		"建言献策":   {Name: "表6建言献策情况", Headers: []string{"", "建言人身份证号"}},
		"提名举荐":   {Name: "提名举荐情况", Headers: []string{"", "被举荐人身份证号码＊"}},
		"工作机制":   {Name: "制度建设", Titles: [][]any{{"工作机制"}}},
	}
}

// dateCols lists the date cells of Valid() by sheet and column name.
var dateCols = map[string][]string{
	"封面":   {"填报日期"},
	"社会组织": {"成立日期"},
	"代表人士": {"纳入名单日期"},
	"联系活动": {"活动日期"},
	"建言献策": {"报送日期"},
	"提名举荐": {"举荐日期"},
}

// DatesAsCells turns every text date of b into a real date cell.
func DatesAsCells(b *testbook.Book) {
	for sheet, names := range dateCols {
		s := b.Sheet(sheet)
		for _, name := range names {
			if s.Rows[0][0] == "项目" {
				for _, r := range s.Rows[1:] {
					if r[0] == name {
						r[1] = dateOf(r[1])
					}
				}
				continue
			}
			c := s.Col(name)
			for _, r := range s.Rows[1:] {
				r[c] = dateOf(r[c])
			}
		}
	}
}

var dateForms = []string{"2006-01-02", "2006/1/2", "2006.1.2", "2006年1月2日", "20060102"}

func dateOf(v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		return v
	}
	for _, layout := range dateForms {
		if d, err := time.Parse(layout, s); err == nil {
			return d
		}
	}
	panic("not a date: " + s)
}

// RealDates is Valid() with real date cells, the cover month included.
func RealDates() *testbook.Book {
	b := testbook.Valid()
	DatesAsCells(b)
	b.Set("封面", 0, "报送月份", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	return b
}

// appendRow adds a data row to a sheet of b.
func appendRow(b *testbook.Book, sheet string, row []any) {
	s := b.Sheet(sheet)
	s.Rows = append(s.Rows, row)
}
