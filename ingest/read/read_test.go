package read

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"ufa/ingest/internal/ingesttest"
	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// --- helpers (prefixed rd: the package's tests share one namespace) ---

// rdReadPath reads path and checks what every finding must carry.
func rdReadPath(t testing.TB, path string) (*model.Workbook, []model.Finding) {
	t.Helper()
	wb, fs := Read(context.Background(), spec.Load(), path)
	rdCheckFindings(t, fs)
	if wb == nil && (len(fs) != 1 || fs[0].Code != "E_FILE") {
		t.Fatalf("nil workbook with %v, want exactly one E_FILE", fs)
	}
	// Every workbook of the reader's tests is also a differential test of
	// the fast path against excelize (read_diff_test.go).
	if _, _, diff := rdDiff(spec.Load(), path); diff != "" {
		t.Errorf("the fast path and excelize read it differently: %s", diff)
	}
	return wb, fs
}

func rdReadBook(t testing.TB, b *testbook.Book) (*model.Workbook, []model.Finding) {
	t.Helper()
	return rdReadPath(t, ingesttest.Write(t, b))
}

// rdCheckFindings: every finding has a Chinese message, a severity that
// matches its code, and a place consistent with its kind.
func rdCheckFindings(t testing.TB, fs []model.Finding) {
	t.Helper()
	for _, f := range fs {
		if !rdHasHan(f.Message) {
			t.Errorf("finding %+v: message not in Chinese", f)
		}
		want := model.Error
		if strings.HasPrefix(f.Code, "W_") {
			want = model.Warning
		}
		if f.Severity != want {
			t.Errorf("finding %+v: severity %s", f, f.Severity)
		}
		if f.Code != "E_FILE" && f.Sheet == "" {
			t.Errorf("finding %+v: no sheet", f)
		}
		if f.Column != "" && f.Row == 0 {
			t.Errorf("finding %+v: a column without a row", f)
		}
	}
}

func rdHasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func rdNoFindings(t testing.TB, fs []model.Finding) {
	t.Helper()
	if len(fs) != 0 {
		t.Fatalf("want no findings, got:%s", ingesttest.Dump(fs))
	}
}

// rdOne returns the only finding, failing unless there is exactly one
// and it has the code.
func rdOne(t testing.TB, fs []model.Finding, code string) model.Finding {
	t.Helper()
	if len(fs) != 1 || fs[0].Code != code {
		t.Fatalf("want exactly one %s, got:%s", code, ingesttest.Dump(fs))
	}
	return fs[0]
}

// rdValue returns the value of column key in data row i of a table sheet.
func rdValue(t testing.TB, wb *model.Workbook, sheet string, i int, key string) model.Value {
	t.Helper()
	tb := wb.Tables[sheet]
	if tb == nil {
		t.Fatalf("no table %s", sheet)
	}
	j := tb.Spec.ColumnIndex(key)
	if j < 0 || i >= len(tb.Rows) {
		t.Fatalf("%s: no row %d / column %s (rows %d)", sheet, i, key, len(tb.Rows))
	}
	return tb.Rows[i].Values[j]
}

// rdItem returns the value of an item of an item sheet.
func rdItem(t testing.TB, wb *model.Workbook, sheet, key string) model.Value {
	t.Helper()
	tb := wb.Tables[sheet]
	if tb == nil || len(tb.Rows) != 1 {
		t.Fatalf("item sheet %s: %+v", sheet, tb)
	}
	return tb.Rows[0].Values[tb.Spec.ColumnIndex(key)]
}

func rdLetter(i int) string { return rdColumn(i) }

// rdTestbookCol is the letter of a testbook column.
func rdTestbookCol(b *testbook.Book, sheet, col string) string {
	return rdLetter(b.Sheet(sheet).Col(col))
}

func rdDayNum(y int, m time.Month, d int) float64 {
	return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// rdSheetPart is the part excelize writes sheet i (0-based) of a
// testbook to.
func rdSheetPart(b *testbook.Book, name string) string {
	for i, s := range b.Sheets {
		if s.Name == name {
			return fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		}
	}
	panic("no sheet " + name)
}

// rdRewrite rewrites the parts of an xlsx through edit (name, content) ->
// content, keeping everything else.
func rdRewrite(t testing.TB, path string, edit func(name string, data []byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, ingesttest.PatchZip(t, data, edit), 0o644); err != nil {
		t.Fatal(err)
	}
}

// rdSetCellXML replaces the XML of one cell of a sheet part.
func rdSetCellXML(t testing.TB, path, part, ref, cellXML string) {
	t.Helper()
	re := regexp.MustCompile(`<c r="` + ref + `"[^>]*?(/>|>.*?</c>)`)
	found := false
	rdRewrite(t, path, func(name string, data []byte) []byte {
		if name != part {
			return data
		}
		if !re.Match(data) {
			return data
		}
		found = true
		return re.ReplaceAllLiteral(data, []byte(cellXML))
	})
	if !found {
		t.Fatalf("cell %s not found in %s", ref, part)
	}
}

// rdEdit opens the xlsx with excelize, applies fn and saves it.
func rdEdit(t testing.TB, path string, fn func(f *excelize.File) error) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := fn(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// --- the valid workbook ---

func TestReadValid(t *testing.T) {
	b := testbook.Valid()
	wb, fs := rdReadBook(t, b)
	rdNoFindings(t, fs)
	if wb.City == nil || wb.City.Name != testbook.City || wb.City.Code != testbook.CityCode {
		t.Errorf("City = %+v", wb.City)
	}
	if got := wb.Month.Format("2006-01-02"); got != "2026-10-01" {
		t.Errorf("Month = %s", got)
	}
	if got := wb.FiledOn.Format("2006-01-02"); got != "2026-11-03" {
		t.Errorf("FiledOn = %s", got)
	}
	if wb.Date1904 {
		t.Error("Date1904 set")
	}
	for _, s := range spec.Load().Sheets {
		tb := wb.Tables[s.Key]
		if tb == nil {
			t.Fatalf("table %s missing", s.Key)
		}
		if tb.Name != s.Name {
			t.Errorf("%s: Name %q", s.Key, tb.Name)
		}
	}
	orgs := wb.Tables[spec.SheetOrganizations]
	if orgs.HeaderRow != 1 || len(orgs.Rows) != testbook.OrgCount {
		t.Fatalf("organizations: header %d, %d rows", orgs.HeaderRow, len(orgs.Rows))
	}
	for i, r := range orgs.Rows {
		if r.Line != i+2 {
			t.Errorf("organization %d at line %d", i, r.Line)
		}
	}
	if got := strings.Join(orgs.Cols, ""); got != "ABCDEFGHIJKLMN" {
		t.Errorf("organizations Cols = %v", orgs.Cols)
	}
	checks := []struct {
		sheet string
		row   int
		key   string
		want  model.Value
	}{
		{spec.SheetOrganizations, 0, "credit_code", model.Value{S: testbook.Org(0), OK: true}},
		{spec.SheetOrganizations, 0, "staff_total", model.Value{N: 25, OK: true}},
		{spec.SheetOrganizations, 0, "has_party_org", model.Value{N: 1, OK: true}},
		{spec.SheetOrganizations, 1, "has_party_org", model.Value{N: 0, OK: true}},
		{spec.SheetOrganizations, 1, "party_org_form", model.Value{}},
		{spec.SheetOrganizations, 1, "founded_on", model.Value{}},
		{spec.SheetOrganizations, 0, "founded_on", model.Value{N: rdDayNum(2010, 5, 4), OK: true}},
		{spec.SheetOrganizations, 1, "county", model.Value{S: "210102", OK: true}},
		{spec.SheetRepresentatives, 0, "political_status", model.Value{S: "民盟", OK: true}},
		{spec.SheetRepresentatives, 1, "npc_level", model.Value{S: "无", OK: true}},   // empty means 无
		{spec.SheetRepresentatives, 1, "leader_paired", model.Value{N: 0, OK: true}}, // empty means 否
		{spec.SheetRepresentatives, 2, "education", model.Value{}},
		{spec.SheetActivities, 1, "headcount", model.Value{N: 30, OK: true}},
		{spec.SheetParticipants, 2, "id_number", model.Value{S: testbook.Rep(1), OK: true}},
	}
	for _, c := range checks {
		if got := rdValue(t, wb, c.sheet, c.row, c.key); got != c.want {
			t.Errorf("%s row %d %s = %+v, want %+v", c.sheet, c.row, c.key, got, c.want)
		}
	}
	if got := rdItem(t, wb, spec.SheetCover, "month"); got.S != "2026-10" || !got.OK {
		t.Errorf("cover month = %+v", got)
	}
	if got := rdItem(t, wb, spec.SheetMechanisms, "budget_wan_yuan"); got != (model.Value{N: 12.5, OK: true}) {
		t.Errorf("budget = %+v", got)
	}
	mech := wb.Tables[spec.SheetMechanisms]
	for j, line := range mech.Lines {
		if line != j+2 || mech.Cols[j] != "B" {
			t.Errorf("mechanism item %d at %s%d", j, mech.Cols[j], line)
		}
	}
}

// --- sheets ---

func TestReadSheetNames(t *testing.T) {
	cases := []struct {
		name    string
		renames map[string]string
		reverse bool
		extra   bool
	}{
		{name: "ordinals", renames: map[string]string{
			"封面": "表1 封面", "社会组织": "表2-社会组织", "代表人士": "1.代表人士", "联系活动": "3、联系活动",
			"活动参加人员": "（四）活动参加人员", "建言献策": "表５　建言献策", "提名举荐": "表7提名举荐", "工作机制": "8．工作机制",
		}},
		{name: "aliases", renames: map[string]string{
			"封面": "封皮", "社会组织": "社会组织名录", "代表人士": "党外代表人士", "联系活动": "活动情况",
			"活动参加人员": "参加人员", "建言献策": "建言献策情况", "提名举荐": "提名举荐情况", "工作机制": "制度建设",
		}},
		{name: "other aliases", renames: map[string]string{
			"封面": "基本信息", "社会组织": "社会组织情况", "代表人士": "代表人士名单", "联系活动": "联系活动情况",
			"工作机制": "表8 工作机制情况",
		}},
		{name: "order and extra sheets", reverse: true, extra: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			for _, s := range b.Sheets {
				if n, ok := c.renames[s.Name]; ok {
					s.Name = n
				}
			}
			if c.reverse {
				for i, j := 0, len(b.Sheets)-1; i < j; i, j = i+1, j-1 {
					b.Sheets[i], b.Sheets[j] = b.Sheets[j], b.Sheets[i]
				}
			}
			if c.extra {
				b.Sheets = append([]*testbook.Sheet{{Name: spec.InstructionsSheet, Rows: [][]any{{"说明"}, {"统一社会信用代码 组织名称"}}}},
					append(b.Sheets, &testbook.Sheet{Name: "lists", Rows: [][]any{{"是"}, {"否"}}})...)
			}
			p := ingesttest.Write(t, b)
			if c.extra {
				rdEdit(t, p, func(f *excelize.File) error { return f.SetSheetVisible("lists", false) })
			}
			wb, fs := rdReadPath(t, p)
			rdNoFindings(t, fs)
			for _, s := range spec.Load().Sheets {
				want := s.Name
				if n, ok := c.renames[s.Name]; ok {
					want = n
				}
				if tb := wb.Tables[s.Key]; tb == nil || tb.Name != want || len(tb.Rows) == 0 {
					t.Errorf("%s: read from %+v, want %q", s.Key, tb, want)
				}
			}
		})
	}
}

// Two workbook sheets for one spec sheet: the template's exact name wins,
// else the first.
func TestReadSheetChoice(t *testing.T) {
	cases := []struct {
		name  string
		names []string // the organizations sheets, in workbook order; the last keeps the rows
		want  string
	}{
		{"exact name wins", []string{"社会组织名录", "社会组织"}, "社会组织"},
		{"canonical after ordinal beats alias", []string{"社会组织名录", "表2 社会组织"}, "表2 社会组织"},
		{"first of aliases", []string{"社会组织情况", "社会组织名录"}, "社会组织情况"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			orgs := b.Sheet("社会组织")
			var sheets []*testbook.Sheet
			for _, s := range b.Sheets {
				if s != orgs {
					sheets = append(sheets, s)
					continue
				}
				for i, n := range c.names {
					rows := orgs.Rows
					if i != len(c.names)-1 {
						rows = rows[:1] // header only: the wrong choice reads no rows
					}
					sheets = append(sheets, &testbook.Sheet{Name: n, Rows: rows})
				}
			}
			b.Sheets = sheets
			wb, fs := rdReadBook(t, b)
			rdNoFindings(t, fs)
			tb := wb.Tables[spec.SheetOrganizations]
			if tb.Name != c.want {
				t.Errorf("read %q, want %q", tb.Name, c.want)
			}
			wantRows := 0
			if c.want == c.names[len(c.names)-1] {
				wantRows = testbook.OrgCount
			}
			if len(tb.Rows) != wantRows {
				t.Errorf("%d rows, want %d", len(tb.Rows), wantRows)
			}
		})
	}
}

func TestReadSheetMissing(t *testing.T) {
	b := testbook.Valid()
	var keep []*testbook.Sheet
	for _, s := range b.Sheets {
		if s.Name != "建言献策" && s.Name != "工作机制" {
			keep = append(keep, s)
		}
	}
	b.Sheets = keep
	wb, fs := rdReadBook(t, b)
	if len(fs) != 2 {
		t.Fatalf("want two E_SHEET_MISSING:%s", ingesttest.Dump(fs))
	}
	for i, name := range []string{"建言献策", "工作机制"} {
		f := fs[i]
		if f.Code != "E_SHEET_MISSING" || f.Sheet != name || f.Row != 0 || f.Column != "" || !strings.Contains(f.Message, name) {
			t.Errorf("finding %d: %+v", i, f)
		}
	}
	if wb.Tables[spec.SheetSuggestions] != nil || wb.Tables[spec.SheetMechanisms] != nil {
		t.Error("a missing sheet has a table")
	}
	if wb.Tables[spec.SheetOrganizations] == nil {
		t.Error("organizations not read")
	}
}

// --- header rows and columns ---

// rdMapHeader rewrites the header cells of a testbook sheet.
func rdMapHeader(s *testbook.Sheet, fn func(h string) string) {
	for i, h := range s.Rows[0] {
		s.Rows[0][i] = fn(h.(string))
	}
}

func rdRemoveColumn(s *testbook.Sheet, name string) {
	c := s.Col(name)
	for i, r := range s.Rows {
		s.Rows[i] = append(append([]any{}, r[:c]...), r[c+1:]...)
	}
}

func rdInsertColumn(s *testbook.Sheet, at int, head string, val func(i int) any) {
	for i, r := range s.Rows {
		v := any(head)
		if i > 0 {
			v = val(i)
		}
		s.Rows[i] = append(append(append([]any{}, r[:at]...), v), r[at:]...)
	}
}

func TestReadHeader(t *testing.T) {
	decorated := map[string]string{
		"统一社会信用代码": "统一社会信用代码*", "组织名称": "组织名称（必填）", "从业人员数": "从业人员数\n(人)",
		"组织类型": "＊组织类型", "成立日期": "成立日期(yyyy-mm-dd)", "所属领域": " 所属 领域 ",
		"中共党员数": "中共党员数（人）", "登记管理机关层级": "登记管理机关层级(省级/市级/县级)",
	}
	aliases := map[string]string{
		"统一社会信用代码": "信用代码", "组织名称": "名称", "中共党员数": "党员数", "是否有统战工作联络员": "统战联络员",
		"登记管理机关层级": "登记层级", "所在县(市、区)": "县区",
	}
	cases := []struct {
		name      string
		edit      func(b *testbook.Book)
		after     func(t *testing.T, p string)
		header    int   // header row of 社会组织
		lines     []int // data rows of 社会组织
		codes     []string
		check     func(t *testing.T, wb *model.Workbook, fs []model.Finding)
		sheetRows int
	}{
		{name: "title and note rows above", header: 3, lines: []int{4, 5, 6},
			edit: func(b *testbook.Book) {
				s := b.Sheet("社会组织")
				s.Rows = append([][]any{{"沈阳市社会组织情况表"}, {"填表说明：金额单位为万元，人数单位为人"}}, s.Rows...)
			},
			after: func(t *testing.T, p string) {
				rdEdit(t, p, func(f *excelize.File) error { return f.MergeCell("社会组织", "A1", "N1") })
			}},
		{name: "blank rows between title and header", header: 4, lines: []int{5, 6, 7},
			edit: func(b *testbook.Book) {
				s := b.Sheet("社会组织")
				s.Rows = append([][]any{{"沈阳市社会组织情况表"}, {}, {}}, s.Rows...)
			}},
		{name: "columns in reverse order", header: 1, lines: []int{2, 3, 4},
			edit: func(b *testbook.Book) {
				s := b.Sheet("社会组织")
				for _, r := range s.Rows {
					for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
						r[i], r[j] = r[j], r[i]
					}
				}
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				tb := wb.Tables[spec.SheetOrganizations]
				if tb.Cols[0] != "N" || tb.Cols[13] != "A" {
					t.Errorf("Cols = %v", tb.Cols)
				}
				if v := rdValue(t, wb, spec.SheetOrganizations, 0, "credit_code"); v.S != testbook.Org(0) {
					t.Errorf("credit code %+v", v)
				}
			}},
		{name: "required marks, notes, line breaks, spaces", header: 1, lines: []int{2, 3, 4},
			edit: func(b *testbook.Book) {
				rdMapHeader(b.Sheet("社会组织"), func(h string) string {
					if d, ok := decorated[h]; ok {
						return d
					}
					return h
				})
			}},
		{name: "aliases", header: 1, lines: []int{2, 3, 4},
			edit: func(b *testbook.Book) {
				rdMapHeader(b.Sheet("社会组织"), func(h string) string {
					if a, ok := aliases[h]; ok {
						return a
					}
					return h
				})
			}},
		{name: "序号 column, empty rows and 序号-only rows skipped", header: 1, lines: []int{2, 4, 5},
			edit: func(b *testbook.Book) {
				s := b.Sheet("社会组织")
				rdInsertColumn(s, 0, "序号", func(i int) any { return i })
				blank := make([]any, len(s.Rows[0]))
				for i := range blank {
					blank[i] = ""
				}
				onlySeq := append([]any{4}, blank[1:]...)
				spaces := append([]any{""}, blank[1:]...)
				spaces[3] = "　 "
				s.Rows = [][]any{s.Rows[0], s.Rows[1], blank, s.Rows[2], s.Rows[3], onlySeq, spaces}
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if got := wb.Tables[spec.SheetOrganizations].Cols[0]; got != "B" {
					t.Errorf("credit code in %s, want B", got)
				}
			}},
		{name: "unknown column", header: 1, lines: []int{2, 3, 4}, codes: []string{"W_COLUMN_UNKNOWN"},
			edit: func(b *testbook.Book) {
				rdInsertColumn(b.Sheet("社会组织"), 2, "备注", func(i int) any { return "无" })
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				f := fs[0]
				if f.Sheet != "社会组织" || f.Row != 1 || f.Column != "C" || f.Value != "备注" || !strings.Contains(f.Message, "备注") {
					t.Errorf("finding %+v", f)
				}
				if got := wb.Tables[spec.SheetOrganizations].Cols[2]; got != "D" {
					t.Errorf("org_type in %s, want D", got)
				}
			}},
		{name: "repeated column", header: 1, lines: []int{2, 3, 4}, codes: []string{"W_COLUMN_UNKNOWN"},
			edit: func(b *testbook.Book) {
				rdInsertColumn(b.Sheet("社会组织"), 14, "组织名称", func(i int) any { return "别的名称" })
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if fs[0].Column != "O" {
					t.Errorf("finding %+v", fs[0])
				}
				if v := rdValue(t, wb, spec.SheetOrganizations, 0, "name"); v.S != "沈阳市软件行业协会" {
					t.Errorf("name %+v: the first column must win", v)
				}
			}},
		{name: "missing required column", header: 1, lines: []int{2, 3, 4}, codes: []string{"E_COLUMN_MISSING"},
			edit: func(b *testbook.Book) { rdRemoveColumn(b.Sheet("社会组织"), "所属领域") },
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				f := fs[0]
				if f.Sheet != "社会组织" || f.Row != 1 || f.Column != "" || f.Field != "sector" || !strings.Contains(f.Message, "所属领域") {
					t.Errorf("finding %+v", f)
				}
				if v := rdValue(t, wb, spec.SheetOrganizations, 0, "sector"); v.OK {
					t.Errorf("absent column has a value %+v", v)
				}
			}},
		{name: "missing optional columns", header: 1, lines: []int{2, 3, 4},
			edit: func(b *testbook.Book) {
				rdRemoveColumn(b.Sheet("社会组织"), "成立日期")
				rdRemoveColumn(b.Sheet("代表人士"), "人大代表层级")
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdValue(t, wb, spec.SheetRepresentatives, 0, "npc_level"); v != (model.Value{S: "无", OK: true}) {
					t.Errorf("absent npc_level = %+v, want 无", v)
				}
			}},
		{name: "ID aliases in every sheet", header: 1, lines: []int{2, 3, 4},
			edit: func(b *testbook.Book) {
				rdMapHeader(b.Sheet("活动参加人员"), func(h string) string { return strings.Replace(h, "公民身份号码", "身份证号", 1) })
				rdMapHeader(b.Sheet("代表人士"), func(h string) string { return strings.Replace(h, "公民身份号码", "身份证号码", 1) })
				rdMapHeader(b.Sheet("建言献策"), func(h string) string {
					return strings.Replace(h, "建言人公民身份号码", "建言人身份证号", 1)
				})
				rdMapHeader(b.Sheet("提名举荐"), func(h string) string {
					return strings.Replace(h, "被举荐人公民身份号码", "被举荐人身份证号码", 1)
				})
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdValue(t, wb, spec.SheetParticipants, 0, "id_number"); v.S != testbook.Rep(0) {
					t.Errorf("participant id %+v", v)
				}
			}},
		{name: "header without data rows", header: 1, lines: []int{2, 3, 4},
			edit: func(b *testbook.Book) {
				b.Sheet("建言献策").Rows = b.Sheet("建言献策").Rows[:1]
				b.Sheet("提名举荐").Rows = b.Sheet("提名举荐").Rows[:1]
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if tb := wb.Tables[spec.SheetSuggestions]; tb == nil || tb.HeaderRow != 1 || len(tb.Rows) != 0 {
					t.Errorf("suggestions %+v", tb)
				}
			}},
		{name: "the header is the row with most names", header: 2, lines: []int{3, 4, 5},
			edit: func(b *testbook.Book) {
				s := b.Sheet("社会组织")
				s.Rows = append([][]any{{"组织名称", "（按登记证书填写）"}}, s.Rows...)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			c.edit(b)
			p := ingesttest.Write(t, b)
			if c.after != nil {
				c.after(t, p)
			}
			wb, fs := rdReadPath(t, p)
			var got []string
			for _, f := range fs {
				got = append(got, f.Code)
			}
			if strings.Join(got, " ") != strings.Join(c.codes, " ") {
				t.Fatalf("findings %v, want %v:%s", got, c.codes, ingesttest.Dump(fs))
			}
			tb := wb.Tables[spec.SheetOrganizations]
			if tb.HeaderRow != c.header {
				t.Errorf("HeaderRow = %d, want %d", tb.HeaderRow, c.header)
			}
			var lines []int
			for _, r := range tb.Rows {
				lines = append(lines, r.Line)
			}
			if fmt.Sprint(lines) != fmt.Sprint(c.lines) {
				t.Errorf("lines = %v, want %v", lines, c.lines)
			}
			if c.check != nil {
				c.check(t, wb, fs)
			}
		})
	}
}

// A sheet without any known header name: every required column missing,
// no rows.
func TestReadNoHeader(t *testing.T) {
	b := testbook.Valid()
	s := b.Sheet("活动参加人员")
	s.Rows = s.Rows[1:]
	wb, fs := rdReadBook(t, b)
	if len(fs) != 2 {
		t.Fatalf("want two E_COLUMN_MISSING:%s", ingesttest.Dump(fs))
	}
	for i, key := range []string{"activity_id", "id_number"} {
		if f := fs[i]; f.Code != "E_COLUMN_MISSING" || f.Field != key || f.Row != 0 || f.Sheet != "活动参加人员" {
			t.Errorf("finding %+v", f)
		}
	}
	if tb := wb.Tables[spec.SheetParticipants]; tb == nil || len(tb.Rows) != 0 {
		t.Errorf("participants %+v", tb)
	}
}

// --- Excel row numbers ---

// Rows the XML skips (r= gaps) keep their Excel numbers, and formatted
// but empty rows after the data, down to the sheet's last row, are neither
// kept nor held in memory.
func TestReadRowNumbers(t *testing.T) {
	b := testbook.Valid()
	s := b.Sheet("社会组织")
	rows := [][]any{s.Rows[0], s.Rows[1], {}, {}, s.Rows[2]}
	for len(rows) < 999 {
		rows = append(rows, []any{})
	}
	s.Rows = append(rows, s.Rows[3])
	plain := ingesttest.Write(t, testbook.Valid())
	p := ingesttest.Write(t, b)

	// The written XML really skips the empty rows.
	part := rdSheetPart(b, "社会组织")
	rdRewrite(t, p, func(name string, data []byte) []byte {
		if name == part && (bytes.Contains(data, []byte(`<row r="3"`)) || !bytes.Contains(data, []byte(`<row r="1000"`))) {
			t.Errorf("sheet XML does not skip rows as the test needs")
		}
		return data
	})
	wb, fs := rdReadPath(t, p)
	rdNoFindings(t, fs)
	var lines []int
	for _, r := range wb.Tables[spec.SheetOrganizations].Rows {
		lines = append(lines, r.Line)
	}
	if fmt.Sprint(lines) != "[2 5 1000]" {
		t.Errorf("lines = %v, want [2 5 1000]", lines)
	}

	// Formatting down to Excel's last row: 100,000 styled empty row
	// elements, then a gap to row 1,048,576.
	styled := ingesttest.Write(t, testbook.Valid())
	rdEdit(t, styled, func(f *excelize.File) error {
		style, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
		if err != nil {
			return err
		}
		if err := f.SetRowStyle("社会组织", 10, 100_009, style); err != nil {
			return err
		}
		return f.SetRowHeight("社会组织", excelize.TotalRows, 30)
	})
	rdRewrite(t, styled, func(name string, data []byte) []byte {
		if name == part && (!bytes.Contains(data, []byte(`<row r="100009"`)) || !bytes.Contains(data, []byte(`<row r="1048576"`))) {
			t.Errorf("styled sheet lacks the formatted rows the test needs")
		}
		return data
	})
	rdRetained(t, plain) // warm up: the first read fills caches and frees the setup's garbage
	base := rdRetained(t, plain)
	heavy := rdRetained(t, styled)
	// The Workbook of the styled file must not hold more than the plain
	// one beyond noise; 100,000 kept rows would be megabytes.
	if heavy-base > 256<<10 {
		t.Errorf("formatted empty rows retained %d bytes", heavy-base)
	}
}

// rdRetained reads path and returns the heap retained while the Workbook
// is alive, checking that the organizations sheet has its three rows.
func rdRetained(t *testing.T, path string) int64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	wb, fs := rdReadPath(t, path)
	runtime.GC()
	runtime.ReadMemStats(&after)
	rdNoFindings(t, fs)
	if n := len(wb.Tables[spec.SheetOrganizations].Rows); n != testbook.OrgCount {
		t.Errorf("%d organization rows", n)
	}
	if c := cap(wb.Tables[spec.SheetOrganizations].Rows); c != testbook.OrgCount {
		t.Errorf("rows capacity %d", c)
	}
	runtime.KeepAlive(wb)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// --- cells ---

// rdIDWithX is a valid ID number whose check character is X.
func rdIDWithX() string {
	for seq := 1; ; seq += 2 {
		if id := testbook.IDNumber("210102", "19850612", seq, true); strings.HasSuffix(id, "X") {
			return id
		}
	}
}

func TestReadCells(t *testing.T) {
	const orgs, reps = "社会组织", "代表人士"
	long := strings.Repeat("协", 101)
	idX := rdIDWithX()
	badBirth := func() string {
		body := "21010219901301" + "123"
		return body + string("10X98765432"[rdIDSum(body)%11])
	}()
	child := testbook.IDNumber("210102", "20200101", 11, true)
	cases := []struct {
		sheet, col string
		in         any
		code       string
		want       model.Value
		msg        string // a part of the message
	}{
		// integers
		{orgs, "从业人员数", 25, "", model.Value{N: 25, OK: true}, ""},
		{orgs, "从业人员数", "25", "", model.Value{N: 25, OK: true}, ""},
		{orgs, "从业人员数", "25.0", "", model.Value{N: 25, OK: true}, ""},
		{orgs, "从业人员数", 25.0, "", model.Value{N: 25, OK: true}, ""},
		{orgs, "从业人员数", "1,234", "", model.Value{N: 1234, OK: true}, ""},
		{orgs, "从业人员数", "１２", "", model.Value{N: 12, OK: true}, ""},
		{orgs, "从业人员数", " 12 ", "", model.Value{N: 12, OK: true}, ""},
		{orgs, "从业人员数", "12.5", "E_TYPE", model.Value{S: "12.5"}, "整数"},
		{orgs, "从业人员数", 12.5, "E_TYPE", model.Value{S: "12.5"}, "整数"},
		{orgs, "从业人员数", "二十", "E_TYPE", model.Value{S: "二十"}, "整数"},
		{orgs, "从业人员数", "12人", "E_TYPE", model.Value{S: "12人"}, "不要带单位"},
		{orgs, "从业人员数", "-1", "E_RANGE", model.Value{S: "-1", N: -1}, "不能小于 0"},
		{orgs, "从业人员数", "", "E_REQUIRED", model.Value{}, "从业人员数"},
		{orgs, "从业人员数", "#N/A", "E_TYPE", model.Value{S: "#N/A"}, "公式"},
		// dates
		{orgs, "成立日期", "2026-10-05", "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", "2026/10/5", "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", "2026.10.5", "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", "2026年10月5日", "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", "２０２６年１０月５日", "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", "20261005", "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", 20261005, "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", 46300.0, "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", 46300.75, "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", "2026-10-05 08:30:00", "", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, ""},
		{orgs, "成立日期", "1900-03-01", "", model.Value{N: rdDayNum(1900, 3, 1), OK: true}, ""},
		{orgs, "成立日期", 61, "", model.Value{N: rdDayNum(1900, 3, 1), OK: true}, ""},
		{orgs, "成立日期", "2026-02-30", "E_TYPE", model.Value{S: "2026-02-30"}, "不存在"},
		{orgs, "成立日期", "2026", "E_TYPE", model.Value{S: "2026"}, "年份"},
		{orgs, "成立日期", 2026, "E_TYPE", model.Value{S: "2026"}, "年份"},
		{orgs, "成立日期", "明天", "E_TYPE", model.Value{S: "明天"}, "2026-10-05"},
		{orgs, "成立日期", "", "", model.Value{}, ""},
		// booleans
		{orgs, "是否建立党组织", true, "", model.Value{N: 1, OK: true}, ""},
		{orgs, "是否建立党组织", false, "", model.Value{N: 0, OK: true}, ""},
		{orgs, "是否建立党组织", 1, "", model.Value{N: 1, OK: true}, ""},
		{orgs, "是否建立党组织", "也许", "E_TYPE", model.Value{S: "也许"}, "是"},
		{orgs, "是否建立党组织", "", "E_REQUIRED", model.Value{}, "是否建立党组织"},
		// enumerations
		{orgs, "组织类型", "社会服务机构", "", model.Value{S: "民办非企业单位", OK: true}, ""},
		{orgs, "组织类型", "民非", "", model.Value{S: "民办非企业单位", OK: true}, ""},
		{orgs, "组织类型", " 社会团体　", "", model.Value{S: "社会团体", OK: true}, ""},
		{orgs, "组织类型", "企业", "E_ENUM", model.Value{S: "企业"}, "社会团体、民办非企业单位、基金会、市场中介机构"},
		{orgs, "党组织组建形式", "", "", model.Value{}, ""},
		{reps, "政治面貌", "中国民主同盟", "", model.Value{S: "民盟", OK: true}, ""},
		{reps, "政治面貌", "中共党员", "", model.Value{S: "中共党员", OK: true}, ""}, // Check refuses it
		{reps, "政治面貌", "共青团员", "E_ENUM", model.Value{S: "共青团员"}, "九三学社"},
		{reps, "人大代表层级", "", "", model.Value{S: "无", OK: true}, ""},
		{reps, "人大代表层级", "省级", "", model.Value{S: "省", OK: true}, ""},
		{reps, "是否与党委领导结对联系", "", "", model.Value{N: 0, OK: true}, ""},
		// text
		{orgs, "组织名称", "　沈阳市  软件协会\u00a0", "", model.Value{S: "沈阳市 软件协会", OK: true}, ""},
		{orgs, "组织名称", long, "E_RANGE", model.Value{S: long}, "100"},
		{orgs, "组织名称", "", "E_REQUIRED", model.Value{}, "组织名称"},
		// credit codes
		{orgs, "统一社会信用代码", strings.ToLower(testbook.Org(0)), "", model.Value{S: testbook.Org(0), OK: true}, ""},
		{orgs, "统一社会信用代码", testbook.Org(0)[:4] + " " + testbook.Org(0)[4:], "", model.Value{S: testbook.Org(0), OK: true}, ""},
		{orgs, "统一社会信用代码", testbook.Org(0)[:17], "E_CREDIT_CODE", model.Value{S: testbook.Org(0)[:17]}, "17 位"},
		{orgs, "统一社会信用代码", testbook.Org(0)[:10] + "I" + testbook.Org(0)[11:], "E_CREDIT_CODE", model.Value{S: testbook.Org(0)[:10] + "I" + testbook.Org(0)[11:]}, "字符"},
		{orgs, "统一社会信用代码", testbook.Org(0)[:17] + "0", "E_CREDIT_CODE", model.Value{S: testbook.Org(0)[:17] + "0"}, "校验位"},
		// ID numbers
		{reps, "公民身份号码", strings.ToLower(idX), "", model.Value{S: idX, OK: true}, ""},
		{reps, "公民身份号码", child, "", model.Value{S: child, OK: true}, ""}, // the age is Check's
		{reps, "公民身份号码", testbook.Rep(0)[:15], "E_ID_NUMBER", model.Value{S: testbook.Rep(0)[:15]}, "15 位"},
		{reps, "公民身份号码", testbook.Rep(0)[:16] + "A1", "E_ID_NUMBER", model.Value{S: testbook.Rep(0)[:16] + "A1"}, "数字"},
		{reps, "公民身份号码", testbook.Rep(0)[:17] + "0", "E_ID_NUMBER", model.Value{S: testbook.Rep(0)[:17] + "0"}, "校验位"},
		{reps, "公民身份号码", badBirth, "E_ID_NUMBER", model.Value{S: badBirth}, "19901301"},
		{reps, "纳入名单日期", "", "E_REQUIRED", model.Value{}, "纳入名单日期"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%s/%v", c.sheet, c.col, c.in), func(t *testing.T) {
			b := testbook.Valid()
			b.Set(c.sheet, 0, c.col, c.in)
			if c.sheet == orgs && c.col == "是否建立党组织" {
				b.Set(orgs, 0, "党组织组建形式", "") // no cross-cell rules here, but keep the row plausible
			}
			wb, fs := rdReadBook(t, b)
			key := rdKeyOf(t, c.sheet, c.col)
			sheetKey := map[string]string{orgs: spec.SheetOrganizations, reps: spec.SheetRepresentatives}[c.sheet]
			got := rdValue(t, wb, sheetKey, 0, key)
			if got != c.want {
				t.Errorf("value %+v, want %+v", got, c.want)
			}
			if c.code == "" {
				rdNoFindings(t, fs)
				return
			}
			f := rdOne(t, fs, c.code)
			if f.Sheet != c.sheet || f.Row != 2 || f.Column != rdTestbookCol(b, c.sheet, c.col) || f.Field != key {
				t.Errorf("placed at %s!%s%d [%s]", f.Sheet, f.Column, f.Row, f.Field)
			}
			if f.Value != rdShown(c.want.S) {
				t.Errorf("value as read %q, want %q", f.Value, c.want.S)
			}
			if !strings.Contains(f.Message, c.msg) {
				t.Errorf("message %q lacks %q", f.Message, c.msg)
			}
		})
	}
}

// rdIDSum is the GB 11643 weighted sum of 17 digits.
func rdIDSum(body string) int {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i := 0; i < 17; i++ {
		s += int(body[i]-'0') * w[i]
	}
	return s
}

func rdKeyOf(t *testing.T, sheet, col string) string {
	t.Helper()
	for _, s := range spec.Load().Sheets {
		if s.Name == sheet {
			for _, c := range s.Columns {
				if c.Name == col {
					return c.Key
				}
			}
		}
	}
	t.Fatalf("no column %s in %s", col, sheet)
	return ""
}

// Cells written as Excel and other producers write them: formulas by
// their cached value, ISO date cells, inline strings, error values, and a
// long number stored in floating point.
func TestReadCellXML(t *testing.T) {
	cases := []struct {
		name, sheet, ref, xml string
		key                   string
		want                  model.Value
		code                  string
		msg                   string
	}{
		{"formula cached number", "社会组织", "G2", `<c r="G2"><f>H2+I2</f><v>25</v></c>`, "staff_total", model.Value{N: 25, OK: true}, "", ""},
		{"formula cached string", "社会组织", "B2", `<c r="B2" t="str"><f>"沈阳"&amp;"协会"</f><v>沈阳协会</v></c>`, "name", model.Value{S: "沈阳协会", OK: true}, "", ""},
		{"formula without cached value", "社会组织", "G2", `<c r="G2"><f>H2+I2</f></c>`, "staff_total", model.Value{}, "E_REQUIRED", "从业人员数"},
		{"formula error", "社会组织", "G2", `<c r="G2" t="e"><f>1/0</f><v>#DIV/0!</v></c>`, "staff_total", model.Value{S: "#DIV/0!"}, "E_TYPE", "#DIV/0!"},
		{"ISO date cell", "社会组织", "N2", `<c r="N2" t="d"><v>2026-10-05T00:00:00Z</v></c>`, "founded_on", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, "", ""},
		{"ISO date-only cell", "社会组织", "N2", `<c r="N2" t="d"><v>2026-10-05</v></c>`, "founded_on", model.Value{N: rdDayNum(2026, 10, 5), OK: true}, "", ""},
		{"boolean cell", "社会组织", "J2", `<c r="J2" t="b"><v>1</v></c>`, "has_party_org", model.Value{N: 1, OK: true}, "", ""},
		{"inline string", "社会组织", "B2", `<c r="B2" t="inlineStr"><is><t>内联名称</t></is></c>`, "name", model.Value{S: "内联名称", OK: true}, "", ""},
		{"CDATA and escaped ampersands", "社会组织", "B2", `<c r="B2" t="inlineStr"><is><t><![CDATA[A & B]]>&amp;C<!-- & --></t></is></c>`, "name", model.Value{S: "A & B&C", OK: true}, "", ""},
		{"rich text", "社会组织", "B2", `<c r="B2" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></is></c>`, "name", model.Value{S: "富文本", OK: true}, "", ""},
		{"ID saved as a number", "代表人士", "A2", `<c r="A2"><v>2.10102198003071E+17</v></c>`, "id_number", model.Value{S: "2.10102198003071E+17"}, "E_ID_NUMBER", "文本"},
		{"ID zero-filled by a number format", "代表人士", "A2", `<c r="A2"><v>210102198003071200</v></c>`, "id_number", model.Value{S: "210102198003071200"}, "E_ID_NUMBER", "文本"},
		{"credit code saved as a number", "代表人士", "F2", `<c r="F2"><v>5.12101E+17</v></c>`, "org_credit_code", model.Value{S: "5.12101E+17"}, "E_CREDIT_CODE", "文本"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			p := ingesttest.Write(t, b)
			rdSetCellXML(t, p, rdSheetPart(b, c.sheet), c.ref, c.xml)
			wb, fs := rdReadPath(t, p)
			sheetKey := map[string]string{"社会组织": spec.SheetOrganizations, "代表人士": spec.SheetRepresentatives}[c.sheet]
			if got := rdValue(t, wb, sheetKey, 0, c.key); got != c.want {
				t.Errorf("value %+v, want %+v", got, c.want)
			}
			if c.code == "" {
				rdNoFindings(t, fs)
				return
			}
			f := rdOne(t, fs, c.code)
			if f.Row != 2 || f.Column != c.ref[:1] || f.Field != c.key || !strings.Contains(f.Message, c.msg) {
				t.Errorf("finding %+v", f)
			}
		})
	}
}

// Date serials in both date systems.
func TestReadDateSystems(t *testing.T) {
	for _, d1904 := range []bool{false, true} {
		t.Run(fmt.Sprint("1904=", d1904), func(t *testing.T) {
			days := rdDayNum(2026, 10, 5)
			serial := days + 25569
			if d1904 {
				serial = days + 24107
			}
			b := testbook.Valid()
			b.Set("社会组织", 0, "成立日期", serial)
			b.Set("封面", 0, "填报日期", serial+30)
			p := ingesttest.Write(t, b)
			rdEdit(t, p, func(f *excelize.File) error {
				return f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &d1904})
			})
			wb, fs := rdReadPath(t, p)
			rdNoFindings(t, fs)
			if wb.Date1904 != d1904 {
				t.Errorf("Date1904 = %v", wb.Date1904)
			}
			if got := rdValue(t, wb, spec.SheetOrganizations, 0, "founded_on"); got != (model.Value{N: days, OK: true}) {
				t.Errorf("founded_on %+v (%s), want 2026-10-05", got, got.Date().Format("2006-01-02"))
			}
			if got := wb.FiledOn.Format("2006-01-02"); got != "2026-11-04" {
				t.Errorf("FiledOn %s", got)
			}
		})
	}
}

// --- item sheets ---

func TestReadItems(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(b *testbook.Book)
		codes []string
		check func(t *testing.T, wb *model.Workbook, fs []model.Finding)
	}{
		{name: "title row, no 项目/内容 header, items shuffled, shifted to B:C",
			edit: func(b *testbook.Book) {
				s := b.Sheet("封面")
				items := s.Rows[1:]
				items[0], items[4] = items[4], items[0]
				rows := [][]any{{"", "辽宁省社会组织统战工作月报"}}
				for _, r := range items {
					rows = append(rows, append([]any{""}, r...))
				}
				s.Rows = rows
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				tb := wb.Tables[spec.SheetCover]
				if tb.Lines[0] != 6 || tb.Lines[4] != 2 || tb.Cols[0] != "C" {
					t.Errorf("Lines %v Cols %v", tb.Lines, tb.Cols)
				}
				if wb.City == nil || wb.City.Name != "沈阳市" || wb.FiledOn.IsZero() {
					t.Errorf("cover facts %+v %v", wb.City, wb.FiledOn)
				}
			}},
		{name: "title left of the table",
			edit: func(b *testbook.Book) {
				s := b.Sheet("工作机制")
				rows := [][]any{{"工作机制情况表"}, {"单位：沈阳市"}}
				for _, r := range s.Rows {
					rows = append(rows, append([]any{""}, r...))
				}
				s.Rows = rows
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				tb := wb.Tables[spec.SheetMechanisms]
				if tb.Lines[0] != 4 || tb.Cols[0] != "C" {
					t.Errorf("Lines %v Cols %v", tb.Lines, tb.Cols)
				}
			}},
		{name: "item names with marks and colons",
			edit: func(b *testbook.Book) {
				s := b.Sheet("封面")
				s.Rows[1][0] = "填报单位："
				s.Rows[3][0] = "*填报人"
				s.Rows[5][0] = "填报日期（必填）"
				m := b.Sheet("工作机制")
				m.Rows[9][0] = "年度工作经费(万元)"
			}},
		{name: "city short name", edit: func(b *testbook.Book) { b.Set("封面", 0, "填报单位", "沈阳") },
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdItem(t, wb, spec.SheetCover, "city"); v != (model.Value{S: "沈阳市", OK: true}) || wb.City.Code != "210100" {
					t.Errorf("city %+v", v)
				}
			}},
		{name: "city code", edit: func(b *testbook.Book) { b.Set("封面", 0, "填报单位", "210200") },
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdItem(t, wb, spec.SheetCover, "city"); v.S != "大连市" || wb.City.Name != "大连市" {
					t.Errorf("city %+v", v)
				}
			}},
		{name: "unknown city: no finding (Check gives E_COVER)", edit: func(b *testbook.Book) { b.Set("封面", 0, "填报单位", "沈阳市民政局") },
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdItem(t, wb, spec.SheetCover, "city"); v != (model.Value{S: "沈阳市民政局"}) || wb.City != nil {
					t.Errorf("city %+v %v", v, wb.City)
				}
			}},
		{name: "empty month: no finding", edit: func(b *testbook.Book) { b.Set("封面", 0, "报送月份", "") },
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdItem(t, wb, spec.SheetCover, "month"); v.OK || !wb.Month.IsZero() {
					t.Errorf("month %+v", v)
				}
			}},
		{name: "unreadable month: no finding", edit: func(b *testbook.Book) { b.Set("封面", 0, "报送月份", "十月") },
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdItem(t, wb, spec.SheetCover, "month"); v != (model.Value{S: "十月"}) {
					t.Errorf("month %+v", v)
				}
			}},
		{name: "missing city and month items: no finding",
			edit: func(b *testbook.Book) {
				s := b.Sheet("封面")
				s.Rows = append(s.Rows[:1], s.Rows[3:]...)
			}},
		{name: "missing and empty items", codes: []string{"E_REQUIRED", "E_REQUIRED", "E_REQUIRED"},
			edit: func(b *testbook.Book) {
				s := b.Sheet("封面")
				s.Rows = append(s.Rows[:3], s.Rows[4:]...) // no 填报人
				b.Set("封面", 0, "联系电话", "")
				m := b.Sheet("工作机制")
				m.Rows = m.Rows[:len(m.Rows)-1] // no 本月宣传典型案例数
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				want := []model.Finding{ // rows first, then the items not found
					{Sheet: "封面", Row: 4, Column: "B", Field: "phone"},
					{Sheet: "封面", Row: 0, Column: "", Field: "filled_by"},
					{Sheet: "工作机制", Row: 0, Column: "", Field: "typical_cases"},
				}
				var got []model.Finding
				for _, f := range fs {
					got = append(got, model.Finding{Sheet: f.Sheet, Row: f.Row, Column: f.Column, Field: f.Field})
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("findings %v, want %v", got, want)
				}
			}},
		{name: "unknown item with a value warns, a note without one does not", codes: []string{"W_COLUMN_UNKNOWN"},
			edit: func(b *testbook.Book) {
				s := b.Sheet("封面")
				s.Rows = append(s.Rows, []any{"备注", "无"}, []any{"注：本表由市委统战部填报"})
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if f := fs[0]; f.Row != 8 || f.Column != "A" || f.Value != "备注" || f.Sheet != "封面" {
					t.Errorf("finding %+v", f)
				}
			}},
		{name: "repeated item keeps the first", codes: []string{"W_COLUMN_UNKNOWN"},
			edit: func(b *testbook.Book) {
				s := b.Sheet("封面")
				s.Rows = append(s.Rows, []any{"填报人", "李四"})
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdItem(t, wb, spec.SheetCover, "filled_by"); v.S != "张三" {
					t.Errorf("filled_by %+v", v)
				}
			}},
		{name: "mechanism values typed", codes: []string{"E_TYPE", "E_RANGE", "E_TYPE"},
			edit: func(b *testbook.Book) {
				b.Set("工作机制", 0, "联谊交友制度", "有")
				b.Set("工作机制", 0, "定期走访制度", "待定")
				b.Set("工作机制", 0, "本月召开联席会议次数", -1)
				b.Set("工作机制", 0, "年度工作经费（万元）", "十二万")
			},
			check: func(t *testing.T, wb *model.Workbook, fs []model.Finding) {
				if v := rdItem(t, wb, spec.SheetMechanisms, "sys_friendship"); v != (model.Value{N: 1, OK: true}) {
					t.Errorf("sys_friendship %+v", v)
				}
				for _, f := range fs {
					if f.Sheet != "工作机制" || f.Column != "B" || f.Row < 2 {
						t.Errorf("finding %+v", f)
					}
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			c.edit(b)
			wb, fs := rdReadBook(t, b)
			var got []string
			for _, f := range fs {
				got = append(got, f.Code)
			}
			if strings.Join(got, " ") != strings.Join(c.codes, " ") {
				t.Fatalf("findings %v, want %v:%s", got, c.codes, ingesttest.Dump(fs))
			}
			if c.check != nil {
				c.check(t, wb, fs)
			}
		})
	}
}

func TestReadCoverMonth(t *testing.T) {
	for _, in := range []any{"2026-10", "2026/10", "2026.10", "2026年10月", "２０２６年１０月", "202610", 202610,
		"2026-10-15", "2026年10月15日", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), 46296.0} {
		t.Run(fmt.Sprint(in), func(t *testing.T) {
			b := testbook.Valid()
			b.Set("封面", 0, "报送月份", in)
			wb, fs := rdReadBook(t, b)
			rdNoFindings(t, fs)
			if v := rdItem(t, wb, spec.SheetCover, "month"); v.S != "2026-10" || !v.OK || v.N != rdDayNum(2026, 10, 1) {
				t.Errorf("month %+v", v)
			}
			if got := wb.Month.Format("2006-01-02"); got != "2026-10-01" {
				t.Errorf("Month %s", got)
			}
		})
	}
}

// --- files that cannot be read ---

func TestReadFileErrors(t *testing.T) {
	valid := func(t *testing.T) []byte {
		data, err := os.ReadFile(ingesttest.Write(t, testbook.Valid()))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	zipOf := func(t *testing.T, parts map[string]string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range parts {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, body)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	corpus := func(name string) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			data, err := os.ReadFile(filepath.Join(testbook.CorpusDir(t), name))
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	cases := []struct {
		name  string
		data  func(t *testing.T) []byte
		setup func(t *testing.T, path string) // instead of data
		msg   string
	}{
		{name: "empty file", data: func(t *testing.T) []byte { return nil }, msg: "为空"},
		{name: "text file", data: func(t *testing.T) []byte { return []byte("统一社会信用代码,组织名称\n") }, msg: "另存为"},
		{name: "CSV saved as xlsx", data: func(t *testing.T) []byte { return []byte("a,b,c\n1,2,3\n") }, msg: ".xlsx"},
		{name: "HTML table", data: func(t *testing.T) []byte {
			return []byte("<html><body><table><tr><td>1</td></tr></table></body></html>")
		}, msg: "网页"},
		{name: "truncated download", data: func(t *testing.T) []byte { d := valid(t); return d[:len(d)/2] }, msg: "损坏或不完整"},
		{name: "damaged bytes", data: func(t *testing.T) []byte {
			d := valid(t)
			for i := len(d) / 3; i < len(d)/3+64; i++ {
				d[i] ^= 0x5A
			}
			return d
		}, msg: "损坏"},
		{name: "xls renamed", data: corpus("calamine__date.xls.renamed.xlsx"), msg: "另存为"},
		{name: "WPS et renamed", data: corpus("sheetjs__wps_fn.et.renamed.xlsx"), msg: ".xls"},
		{name: "encrypted", data: corpus("excelize__encryptAES.xlsx"), msg: "密码"},
		{name: "xlsb", data: func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.bin": "\x83\x01"})
		}, msg: ".xlsb"},
		{name: "ods", data: func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
		}, msg: ".ods"},
		{name: "docx", data: func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
		}, msg: "Word"},
		{name: "zip of something else", data: func(t *testing.T) []byte { return zipOf(t, map[string]string{"a.txt": "hello"}) }, msg: ".xlsx"},
		{name: "DTD in a part", data: func(t *testing.T) []byte {
			return zipOf(t, map[string]string{"[Content_Types].xml": `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>`})
		}, msg: "DTD"},
		{name: "too many sheets listed", data: func(t *testing.T) []byte {
			var wb strings.Builder
			wb.WriteString(`<?xml version="1.0"?><workbook><sheets>`)
			for i := 1; i <= 5000; i++ {
				fmt.Fprintf(&wb, `<sheet name="s%d" sheetId="%d" r:id="rId%d"/>`, i, i, i)
			}
			wb.WriteString(`</sheets></workbook>`)
			return zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": wb.String()})
		}, msg: "工作表超过 4096 个"},
		{name: "no worksheets", data: corpus("excelize__BadWorkbook.xlsx"), msg: "没有可读取的工作表"},
		{name: "sheets listed without parts", data: corpus("tealeg__badfile_noWorksheets.xlsx"), msg: "没有可读取的工作表"},
		{name: "declared size over the limit", data: func(t *testing.T) []byte { return rdBombZip(t, 600<<20, 1<<10) }, msg: "安全上限"},
		{name: "part inflating beyond its declared size", data: func(t *testing.T) []byte { return rdBombZip(t, 1<<10, 4<<20) }, msg: "损坏"},
		{name: "larger than 100 MiB", setup: func(t *testing.T, path string) {
			if err := os.WriteFile(path, valid(t), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, 101<<20); err != nil { // sparse: costs no disk
				t.Fatal(err)
			}
		}, msg: "100 MB"},
		{name: "control character in a sheet", setup: rdBadCell("<c r=\"B2\" t=\"inlineStr\"><is><t>协会\x0b名称</t></is></c>"), msg: "不允许的字符"},
		{name: "bare ampersand in a sheet", setup: rdBadCell(`<c r="B2" t="inlineStr"><is><t>A & B</t></is></c>`), msg: "不允许的字符"},
		{name: "forbidden character reference", setup: rdBadCell(`<c r="B2" t="inlineStr"><is><t>A&#1;B</t></is></c>`), msg: "不允许的字符"},
		{name: "invalid UTF-8 in a sheet", setup: rdBadCell("<c r=\"B2\" t=\"inlineStr\"><is><t>A\xffB</t></is></c>"), msg: "不允许的字符"},
		{name: "missing file", setup: func(t *testing.T, path string) {}, msg: "不存在"},
		{name: "a directory", setup: func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, msg: ".xlsx"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "沈阳市_2026-10.xlsx")
			if c.setup != nil {
				c.setup(t, path)
			} else if err := os.WriteFile(path, c.data(t), 0o644); err != nil {
				t.Fatal(err)
			}
			wb, fs := rdReadPath(t, path)
			if wb != nil {
				t.Fatalf("read, want E_FILE; findings:%s", ingesttest.Dump(fs))
			}
			f := rdOne(t, fs, "E_FILE")
			if f.Sheet != "" || f.Row != 0 || f.Column != "" || !strings.Contains(f.Message, c.msg) {
				t.Errorf("finding %+v, want a message with %q", f, c.msg)
			}
		})
	}
}

// rdBadCell writes the valid workbook with one organization cell
// replaced by bad XML.
func rdBadCell(cellXML string) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		b := testbook.Valid()
		if err := b.Write(path); err != nil {
			t.Fatal(err)
		}
		rdSetCellXML(t, path, rdSheetPart(b, "社会组织"), "B2", cellXML)
	}
}

// rdBombZip makes an xlsx-looking zip with one part declaring declared
// bytes and inflating to actual bytes of zeros.
func rdBombZip(t *testing.T, declared, actual uint64) []byte {
	t.Helper()
	// Compress the zeros with a throwaway zip to get raw deflate data.
	var tmp bytes.Buffer
	zw := zip.NewWriter(&tmp)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "z", Method: zip.Deflate})
	w.Write(make([]byte, actual))
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(tmp.Bytes()), int64(tmp.Len()))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := zr.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	comp, _ := io.ReadAll(raw)

	var out bytes.Buffer
	zo := zip.NewWriter(&out)
	ct, _ := zo.Create("[Content_Types].xml")
	io.WriteString(ct, `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	rw, err := zo.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CRC32: zr.File[0].CRC32, CompressedSize64: uint64(len(comp)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	rw.Write(comp)
	if err := zo.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestReadCancelled(t *testing.T) {
	p := ingesttest.Write(t, testbook.Valid())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	wb, fs := Read(ctx, spec.Load(), p)
	if wb != nil {
		t.Fatal("read despite a cancelled context")
	}
	if f := rdOne(t, fs, "E_FILE"); f.Message != rdMsgCancelled {
		t.Errorf("message %q", f.Message)
	}
}

// rdCountdown is a context that reports cancellation from its n-th Err
// call on: a deterministic cancellation in the middle of a read.
type rdCountdown struct {
	context.Context
	n int
}

func (c *rdCountdown) Err() error {
	c.n--
	if c.n < 0 {
		return context.Canceled
	}
	return nil
}

// A read cancelled while streaming rows stops and says so.
func TestReadCancelledMidway(t *testing.T) {
	b := testbook.Valid()
	orgs := b.Sheet("社会组织")
	for i := 0; i < 3000; i++ {
		row := append([]any{}, orgs.Rows[1]...)
		row[0] = testbook.CreditCode("51", "210100", 100+i)
		orgs.Rows = append(orgs.Rows, row)
	}
	p := ingesttest.Write(t, b)
	probe := &rdCountdown{Context: context.Background(), n: 1 << 30}
	if wb, fs := Read(probe, spec.Load(), p); wb == nil || len(fs) != 0 {
		t.Fatalf("uncancelled read failed:%s", ingesttest.Dump(fs))
	}
	calls := 1<<30 - probe.n // every check of ctx in a whole read
	if calls < 30 {
		t.Fatalf("only %d checks of ctx: rows are not checked", calls)
	}
	for _, n := range []int{1, calls / 2, calls - 3, calls - 1} {
		ctx := &rdCountdown{Context: context.Background(), n: n}
		wb, fs := Read(ctx, spec.Load(), p)
		if wb != nil {
			t.Fatalf("n=%d: read despite cancellation", n)
		}
		if f := rdOne(t, fs, "E_FILE"); f.Message != rdMsgCancelled {
			t.Errorf("n=%d: message %q", n, f.Message)
		}
	}
}
