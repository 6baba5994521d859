package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/ingest/model"
	"ufa/internal/codes"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/internal/textnorm"
)

// ckFaultCase injects exactly one fault into testbook.Valid() and says the
// one finding it must give.
type ckFaultCase struct {
	name  string
	edit  func(b *testbook.Book)
	opt   Options
	file  string // file name, testbook.FileName when ""
	code  string
	sheet string // canonical sheet name ("" for the file)
	row   int    // data row index (0-based) of a table sheet; -1 for the header or a whole sheet
	item  string // for item sheets: the item's name
	field string // field key ("" when none)
	// reader is set for codes the reader emits: such cases run only end to
	// end, through Validate.
	reader bool
	// col overrides the expected column letter ("-" for none).
	col string
}

func ckRep(i int) string { return testbook.Rep(i) }
func ckOrg(i int) string { return testbook.Org(i) }

// Faults that need new rows or columns.
func ckAppendRow(b *testbook.Book, sheet string, row []any) {
	s := b.Sheet(sheet)
	s.Rows = append(s.Rows, row)
}

func ckCopyRow(b *testbook.Book, sheet string, i int) []any {
	return append([]any(nil), b.Sheet(sheet).Rows[i+1]...)
}

func ckRemoveColumn(b *testbook.Book, sheet, name string) {
	s := b.Sheet(sheet)
	c := s.Col(name)
	for i, r := range s.Rows {
		s.Rows[i] = append(append([]any(nil), r[:c]...), r[c+1:]...)
	}
}

func ckRemoveSheet(b *testbook.Book, name string) {
	for i, s := range b.Sheets {
		if s.Name == name {
			b.Sheets = append(b.Sheets[:i], b.Sheets[i+1:]...)
			return
		}
	}
}

func ckRemoveItem(b *testbook.Book, sheet, item string) {
	s := b.Sheet(sheet)
	for i, r := range s.Rows {
		if r[0] == item {
			s.Rows = append(s.Rows[:i], s.Rows[i+1:]...)
			return
		}
	}
}

// ckFaultCases covers every finding code of submission.md, several of them
// through more than one rule.
func ckFaultCases() []ckFaultCase {
	young := testbook.IDNumber("210104", "20100101", 357, true)
	stranger := testbook.IDNumber("210105", "19700101", 11, true)
	unknownOrg := testbook.CreditCode("51", "210100", 99)
	return []ckFaultCase{
		// The reader's codes.
		{name: "file not xlsx", code: "E_FILE", row: -1, reader: true},
		{name: "sheet missing", edit: func(b *testbook.Book) { ckRemoveSheet(b, "提名举荐") },
			code: "E_SHEET_MISSING", sheet: "提名举荐", row: -1, reader: true},
		{name: "column missing", edit: func(b *testbook.Book) { ckRemoveColumn(b, "代表人士", "姓名") },
			code: "E_COLUMN_MISSING", sheet: "代表人士", row: -1, field: "name", reader: true, col: "-"},
		{name: "column unknown", edit: func(b *testbook.Book) {
			s := b.Sheet("社会组织")
			s.Rows[0] = append(s.Rows[0], "备注")
		}, code: "W_COLUMN_UNKNOWN", sheet: "社会组织", row: -1, reader: true, col: "O"},
		{name: "budget in yuan", edit: func(b *testbook.Book) {
			s := b.Sheet("工作机制")
			for _, r := range s.Rows {
				if r[0] == "年度工作经费（万元）" {
					r[0] = "年度工作经费（元）"
				}
			}
		}, code: "E_UNIT", sheet: "工作机制", row: 9, field: "budget_wan_yuan", reader: true, col: "A"},
		{name: "mechanism item unknown", edit: func(b *testbook.Book) {
			ckAppendRow(b, "工作机制", []any{"本月走访次数", 3})
		}, code: "W_COLUMN_UNKNOWN", sheet: "工作机制", row: 13, reader: true, col: "A"},
		{name: "required empty", edit: func(b *testbook.Book) { b.Set("代表人士", 0, "姓名", "") },
			code: "E_REQUIRED", sheet: "代表人士", row: 0, field: "name", reader: true},
		{name: "mechanism item missing", edit: func(b *testbook.Book) { ckRemoveItem(b, "工作机制", "专职统战干部人数") },
			code: "E_REQUIRED", sheet: "工作机制", row: -1, field: "fulltime_cadres", reader: true, col: "-"},
		{name: "not a number", edit: func(b *testbook.Book) { b.Set("社会组织", 0, "从业人员数", "二十五") },
			code: "E_TYPE", sheet: "社会组织", row: 0, field: "staff_total", reader: true},
		{name: "not a whole number", edit: func(b *testbook.Book) { b.Set("联系活动", 1, "参加人数", "30.5") },
			code: "E_TYPE", sheet: "联系活动", row: 1, field: "headcount", reader: true},
		{name: "not a date", edit: func(b *testbook.Book) { b.Set("建言献策", 0, "报送日期", "十月中旬") },
			code: "E_TYPE", sheet: "建言献策", row: 0, field: "date", reader: true},
		{name: "not a bool", edit: func(b *testbook.Book) { b.Set("代表人士", 1, "是否纳入人才库", "待定") },
			code: "E_TYPE", sheet: "代表人士", row: 1, field: "in_talent_pool", reader: true},
		{name: "enum", edit: func(b *testbook.Book) { b.Set("社会组织", 1, "所属领域", "航天") },
			code: "E_ENUM", sheet: "社会组织", row: 1, field: "sector", reader: true},
		{name: "credit code check char", edit: func(b *testbook.Book) {
			c := ckOrg(0)
			b.Set("联系活动", 0, "涉及社会组织统一社会信用代码", c[:17]+map[bool]string{true: "1", false: "0"}[c[17] == '0'])
		}, code: "E_CREDIT_CODE", sheet: "联系活动", row: 0, field: "org_credit_code", reader: true},
		{name: "id check char", edit: func(b *testbook.Book) {
			c := ckRep(1)
			b.Set("建言献策", 0, "建言人公民身份号码", c[:17]+map[bool]string{true: "1", false: "0"}[c[17] == '0'])
		}, code: "E_ID_NUMBER", sheet: "建言献策", row: 0, field: "id_number", reader: true},
		{name: "text too long", edit: func(b *testbook.Book) { b.Set("社会组织", 2, "组织名称", strings.Repeat("慈", 101)) },
			code: "E_RANGE", sheet: "社会组织", row: 2, field: "name", reader: true},
		{name: "negative", edit: func(b *testbook.Book) { b.Set("工作机制", 0, "本月召开联席会议次数", -1) },
			code: "E_RANGE", sheet: "工作机制", item: "本月召开联席会议次数", field: "joint_meetings", reader: true},

		// The cover.
		{name: "cover city empty", edit: func(b *testbook.Book) { b.Set("封面", 0, "填报单位", "") },
			file: "报表.xlsx", code: "E_COVER", sheet: "封面", item: "填报单位", field: "city"},
		{name: "cover city unknown", edit: func(b *testbook.Book) { b.Set("封面", 0, "填报单位", "沈阳省") },
			code: "E_COVER", sheet: "封面", item: "填报单位", field: "city"},
		{name: "cover city item absent", edit: func(b *testbook.Book) { ckRemoveItem(b, "封面", "填报单位") },
			code: "E_COVER", sheet: "封面", row: -1, field: "city", col: "-"},
		{name: "cover month empty", edit: func(b *testbook.Book) { b.Set("封面", 0, "报送月份", "") },
			code: "E_COVER", sheet: "封面", item: "报送月份", field: "month"},
		{name: "cover month invalid", edit: func(b *testbook.Book) { b.Set("封面", 0, "报送月份", "2026-13") },
			code: "E_COVER", sheet: "封面", item: "报送月份", field: "month"},
		{name: "city against --city", opt: Options{City: "大连"},
			code: "E_COVER", sheet: "封面", item: "填报单位", field: "city"},
		{name: "city against --city code", opt: Options{City: "210200"},
			code: "E_COVER", sheet: "封面", item: "填报单位", field: "city"},
		{name: "month against --month", opt: Options{Month: "2026-09"},
			code: "E_COVER", sheet: "封面", item: "报送月份", field: "month"},
		{name: "city against file name", file: "2026年10月-大连.xlsx",
			code: "E_COVER", sheet: "封面", item: "填报单位", field: "city"},
		{name: "month against file name", file: "沈阳_202609.xlsx",
			code: "E_COVER", sheet: "封面", item: "报送月份", field: "month"},
		{name: "month after filing date", edit: func(b *testbook.Book) { b.Set("封面", 0, "填报日期", "2026-09-30") },
			code: "E_COVER", sheet: "封面", item: "报送月份", field: "month"},
		{name: "template version", edit: func(b *testbook.Book) { b.Set("封面", 0, "模板版本", "2025.2") },
			code: "W_TEMPLATE_VERSION", sheet: "封面", item: "模板版本", field: "template_version"},

		// 社会组织.
		{name: "org duplicate", edit: func(b *testbook.Book) { ckAppendRow(b, "社会组织", ckCopyRow(b, "社会组织", 0)) },
			code: "E_DUPLICATE", sheet: "社会组织", row: 3, field: "credit_code"},
		{name: "county of another city", edit: func(b *testbook.Book) { b.Set("社会组织", 0, "所在县(市、区)", "中山区") },
			code: "E_ENUM", sheet: "社会组织", row: 0, field: "county"},
		{name: "county unknown code", edit: func(b *testbook.Book) { b.Set("社会组织", 2, "所在县(市、区)", "210199") },
			code: "E_ENUM", sheet: "社会组织", row: 2, field: "county"},
		{name: "staff sum", edit: func(b *testbook.Book) { b.Set("社会组织", 0, "从业人员数", 26) },
			code: "E_CONSISTENCY", sheet: "社会组织", row: 0, field: "staff_total"},
		{name: "party org form missing", edit: func(b *testbook.Book) { b.Set("社会组织", 0, "党组织组建形式", "") },
			code: "E_CONSISTENCY", sheet: "社会组织", row: 0, field: "party_org_form"},
		{name: "party org form without org", edit: func(b *testbook.Book) { b.Set("社会组织", 1, "党组织组建形式", "联合组建") },
			code: "E_CONSISTENCY", sheet: "社会组织", row: 1, field: "party_org_form"},
		{name: "party org form column absent", edit: func(b *testbook.Book) { ckRemoveColumn(b, "社会组织", "党组织组建形式") },
			code: "E_COLUMN_MISSING", sheet: "社会组织", row: -1, field: "party_org_form", col: "-"},
		{name: "leaders above non-party staff", edit: func(b *testbook.Book) { b.Set("社会组织", 2, "党外人士担任负责人数", 10) },
			code: "E_CONSISTENCY", sheet: "社会组织", row: 2, field: "non_party_leaders"},
		{name: "founded after month", edit: func(b *testbook.Book) { b.Set("社会组织", 0, "成立日期", "2026-11-01") },
			code: "E_RANGE", sheet: "社会组织", row: 0, field: "founded_on"},
		{name: "org type against code", edit: func(b *testbook.Book) { b.Set("社会组织", 0, "组织类型", "基金会") },
			code: "E_CONSISTENCY", sheet: "社会组织", row: 0, field: "org_type"},
		{name: "intermediary registered by civil affairs", edit: func(b *testbook.Book) { b.Set("社会组织", 0, "组织类型", "中介机构") },
			code: "W_CODE_CATEGORY", sheet: "社会组织", row: 0, field: "credit_code"},
		{name: "registered in another city", edit: func(b *testbook.Book) {
			r := ckCopyRow(b, "社会组织", 0)
			r[0] = testbook.CreditCode("51", "210200", 4)
			ckAppendRow(b, "社会组织", r)
		}, code: "W_DIVISION", sheet: "社会组织", row: 3, field: "credit_code"},
		{name: "staff outlier", edit: func(b *testbook.Book) {
			b.Set("社会组织", 0, "从业人员数", 12000)
			b.Set("社会组织", 0, "党外从业人员数", 11995)
		}, code: "W_OUTLIER", sheet: "社会组织", row: 0, field: "staff_total"},

		// 代表人士.
		{name: "rep duplicate", edit: func(b *testbook.Book) { ckAppendRow(b, "代表人士", ckCopyRow(b, "代表人士", 2)) },
			code: "E_DUPLICATE", sheet: "代表人士", row: 3, field: "id_number"},
		{name: "rep duplicate lower-case x", edit: func(b *testbook.Book) {
			x := testbook.IDNumber("210102", "19660101", 0, true)
			for s := 1; x[17] != 'X'; s += 2 {
				x = testbook.IDNumber("210102", "19660101", s, true)
			}
			r := ckCopyRow(b, "代表人士", 2)
			r[0] = x
			ckAppendRow(b, "代表人士", r)
			r = ckCopyRow(b, "代表人士", 2)
			r[0] = strings.ToLower(x)
			ckAppendRow(b, "代表人士", r)
		}, code: "E_DUPLICATE", sheet: "代表人士", row: 4, field: "id_number"},
		{name: "rep too young", edit: func(b *testbook.Book) { b.Set("代表人士", 2, "公民身份号码", young) },
			code: "E_ID_NUMBER", sheet: "代表人士", row: 2, field: "id_number"},
		{name: "gender against id", edit: func(b *testbook.Book) { b.Set("代表人士", 0, "性别", "女") },
			code: "E_CONSISTENCY", sheet: "代表人士", row: 0, field: "gender"},
		{name: "party member", edit: func(b *testbook.Book) { b.Set("代表人士", 1, "政治面貌", "中共党员") },
			code: "E_CONSISTENCY", sheet: "代表人士", row: 1, field: "political_status"},
		{name: "rep org unknown", edit: func(b *testbook.Book) { b.Set("代表人士", 2, "所在组织统一社会信用代码", unknownOrg) },
			code: "E_REF", sheet: "代表人士", row: 2, field: "org_credit_code"},
		{name: "key contact not in pool", edit: func(b *testbook.Book) { b.Set("代表人士", 2, "是否重点联系", "是") },
			code: "W_KEY_CONTACT_NOT_IN_POOL", sheet: "代表人士", row: 2, field: "key_contact"},
		{name: "listed after month", edit: func(b *testbook.Book) { b.Set("代表人士", 2, "纳入名单日期", "2026-11-01") },
			code: "E_RANGE", sheet: "代表人士", row: 2, field: "listed_on"},

		// 联系活动.
		{name: "activity duplicate", edit: func(b *testbook.Book) { ckAppendRow(b, "联系活动", ckCopyRow(b, "联系活动", 1)) },
			code: "E_DUPLICATE", sheet: "联系活动", row: 2, field: "activity_id"},
		{name: "activity before month", edit: func(b *testbook.Book) { b.Set("联系活动", 0, "活动日期", "2026-09-30") },
			code: "E_RANGE", sheet: "联系活动", row: 0, field: "date"},
		{name: "activity after month", edit: func(b *testbook.Book) { b.Set("联系活动", 1, "活动日期", "2026-11-01") },
			code: "E_RANGE", sheet: "联系活动", row: 1, field: "date"},
		{name: "activity org unknown", edit: func(b *testbook.Book) {
			b.Set("联系活动", 1, "涉及社会组织统一社会信用代码", unknownOrg)
		},
			code: "E_REF", sheet: "联系活动", row: 1, field: "org_credit_code"},
		{name: "headcount below participants", edit: func(b *testbook.Book) { b.Set("联系活动", 1, "参加人数", 1) },
			code: "E_CONSISTENCY", sheet: "联系活动", row: 1, field: "headcount"},
		{name: "headcount outlier", edit: func(b *testbook.Book) { b.Set("联系活动", 1, "参加人数", 6000) },
			code: "W_OUTLIER", sheet: "联系活动", row: 1, field: "headcount"},

		// 活动参加人员.
		{name: "participant activity unknown", edit: func(b *testbook.Book) { b.Set("活动参加人员", 2, "活动编号", "SY-2026-10-09") },
			code: "E_REF", sheet: "活动参加人员", row: 2, field: "activity_id"},
		{name: "participant not a rep", edit: func(b *testbook.Book) { b.Set("活动参加人员", 1, "公民身份号码", stranger) },
			code: "E_REF", sheet: "活动参加人员", row: 1, field: "id_number"},
		{name: "participant pair twice", edit: func(b *testbook.Book) { ckAppendRow(b, "活动参加人员", []any{"SY-2026-10-01", ckRep(0)}) },
			code: "E_DUPLICATE", sheet: "活动参加人员", row: 3, field: "id_number"},

		// 建言献策, 提名举荐.
		{name: "suggestion date", edit: func(b *testbook.Book) { b.Set("建言献策", 0, "报送日期", "2026-11-02") },
			code: "E_RANGE", sheet: "建言献策", row: 0, field: "date"},
		{name: "suggestion by stranger", edit: func(b *testbook.Book) { b.Set("建言献策", 0, "建言人公民身份号码", stranger) },
			code: "E_REF", sheet: "建言献策", row: 0, field: "id_number"},
		{name: "nomination date", edit: func(b *testbook.Book) { b.Set("提名举荐", 0, "举荐日期", "2026-09-01") },
			code: "E_RANGE", sheet: "提名举荐", row: 0, field: "date"},
		{name: "nomination of stranger", edit: func(b *testbook.Book) { b.Set("提名举荐", 0, "被举荐人公民身份号码", stranger) },
			code: "E_REF", sheet: "提名举荐", row: 0, field: "id_number"},
	}
}

// expected returns the finding place a case expects in the book as
// written (after its edit).
func (c ckFaultCase) expected(t *testing.T, book *spec.Book, b *testbook.Book) (row int, col string) {
	t.Helper()
	if c.sheet == "" {
		return 0, ""
	}
	s := b.Sheet(c.sheet)
	ss := ckSpecSheet(book, c.sheet)
	name := ""
	if c.field != "" {
		name = ss.Column(c.field).Name
	}
	switch {
	case c.item != "":
		for i, r := range s.Rows {
			if r[0] == c.item {
				row = i + 1
			}
		}
		col = "B"
	case c.row == -1:
		row = 0
	case ss.Items:
		row = c.row + 1
	default:
		row = c.row + 2
		col = ckColLetter(s.Col(name))
	}
	if (c.code == "W_COLUMN_UNKNOWN" || c.code == "E_COLUMN_MISSING") && !ss.Items {
		row = 1 // the header row
	}
	switch c.col {
	case "":
	case "-":
		col = ""
	default:
		col = c.col
	}
	return row, col
}

func ckSpecSheet(book *spec.Book, name string) *spec.Sheet {
	for _, s := range book.Sheets {
		if s.Name == name {
			return s
		}
	}
	panic("no sheet " + name)
}

func ckColLetter(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}

// assertOne checks that fs is exactly the one finding c expects.
func (c ckFaultCase) assertOne(t *testing.T, book *spec.Book, b *testbook.Book, fs []model.Finding) {
	t.Helper()
	if len(fs) != 1 {
		t.Fatalf("want exactly one %s, got %d findings:\n%s", c.code, len(fs), ckDump(fs))
	}
	f := fs[0]
	row, col := c.expected(t, book, b)
	sev := model.Error
	if strings.HasPrefix(c.code, "W_") {
		sev = model.Warning
	}
	if f.Code != c.code || f.Severity != sev || f.Sheet != c.sheet || f.Row != row || f.Column != col || f.Field != c.field {
		t.Errorf("got %s\nwant %s %s %s!%s%d field %q", ckDump(fs), sev, c.code, c.sheet, col, row, c.field)
	}
	if !ckHasHan(f.Message) || !strings.Contains(f.Message, "：") {
		t.Errorf("message must say in Chinese what is wrong, then how to fix it: %q", f.Message)
	}
	if c.field == "id_number" && c.code != "E_ID_NUMBER" && strings.Contains(f.Message, f.Value) && len(f.Value) == 18 {
		t.Errorf("message shows an ID number in clear: %q", f.Message)
	}
}

func ckHasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

func ckDump(fs []model.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s!%s%d field=%q value=%q: %s\n", f.Severity, f.Code, f.Sheet, f.Column, f.Row, f.Field, f.Value, f.Message)
	}
	return b.String()
}

// ckHandRead builds the Workbook the reader is specified to produce from a
// testbook with canonical sheet and column names, without excelize: it
// tests Check alone, independently of the reader.
func ckHandRead(t testing.TB, book *spec.Book, b *testbook.Book, path string) *model.Workbook {
	t.Helper()
	wb := &model.Workbook{Path: path, Tables: map[string]*model.Table{}}
	for _, ss := range book.Sheets {
		s := b.Sheet(ss.Name)
		if s == nil {
			continue
		}
		tb := &model.Table{Spec: ss, Name: ss.Name, Cols: make([]string, len(ss.Columns))}
		if ss.Items {
			tb.Lines = make([]int, len(ss.Columns))
			vals := make([]model.Value, len(ss.Columns))
			for i, r := range s.Rows {
				for j := range ss.Columns {
					if r[0] == ss.Columns[j].Name {
						tb.Lines[j], tb.Cols[j] = i+1, "B"
						vals[j] = ckHandValue(&ss.Columns[j], r[1])
					}
				}
			}
			tb.Rows = []model.Row{{Line: 0, Values: vals}}
		} else {
			tb.HeaderRow = 1
			idx := make([]int, len(ss.Columns))
			for j := range ss.Columns {
				idx[j] = s.Col(ss.Columns[j].Name)
				if idx[j] >= 0 {
					tb.Cols[j] = ckColLetter(idx[j])
				}
			}
			for i, r := range s.Rows[1:] {
				row := model.Row{Line: i + 2, Values: make([]model.Value, len(ss.Columns))}
				for j := range ss.Columns {
					if idx[j] >= 0 && idx[j] < len(r) {
						row.Values[j] = ckHandValue(&ss.Columns[j], r[idx[j]])
					}
				}
				tb.Rows = append(tb.Rows, row)
			}
		}
		wb.Tables[ss.Key] = tb
	}
	return wb
}

// ckHandValue types one cell the way the reader's contract says.
func ckHandValue(c *spec.Column, raw any) model.Value {
	var s string
	switch x := raw.(type) {
	case nil:
	case string:
		s = textnorm.Text(x)
	case int:
		return model.Value{N: float64(x), S: strconv.Itoa(x), OK: !(c.HasMin && int64(x) < c.Min)}
	case float64:
		return model.Value{N: x, S: strconv.FormatFloat(x, 'f', -1, 64), OK: true}
	}
	if s == "" {
		s = c.EmptyAs
		if s == "" {
			return model.Value{}
		}
	}
	switch c.Kind {
	case spec.Code18:
		s = textnorm.Code(s)
		return model.Value{S: s, OK: codes.CreditProblem(s) == ""}
	case spec.ID18:
		s = textnorm.Code(s)
		p := codes.IDProblem(s, time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC))
		return model.Value{S: s, OK: p == "" || p == "age"}
	case spec.Enum:
		if v, ok := c.Choices.Canonical(s); ok {
			return model.Value{S: v, OK: true}
		}
		for _, r := range c.Choices.Refused {
			if r == s {
				return model.Value{S: s, OK: true}
			}
		}
		return model.Value{S: s}
	case spec.Bool:
		switch s {
		case "是":
			return model.Value{S: s, N: 1, OK: true}
		case "否":
			return model.Value{S: s, N: 0, OK: true}
		}
		return model.Value{S: s}
	case spec.Date:
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			return model.Value{S: s}
		}
		v := model.DateValue(d)
		v.S = s
		return v
	case spec.Month:
		if m, ok := chkParseMonth(s); ok {
			return model.Value{S: m.Format("2006-01"), OK: true}
		}
		return model.Value{S: s}
	case spec.Int, spec.Dec:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || (c.Kind == spec.Int && n != float64(int64(n))) {
			return model.Value{S: s}
		}
		return model.Value{S: s, N: n, OK: !(c.HasMin && n < float64(c.Min))}
	}
	return model.Value{S: s, OK: true}
}

func TestCheckValidByHand(t *testing.T) {
	book := spec.Load()
	b := testbook.Valid()
	wb := ckHandRead(t, book, b, testbook.FileName)
	if fs := Check(book, wb, Options{City: "沈阳", Month: "2026年10月"}); len(fs) != 0 {
		t.Fatalf("the valid workbook gives findings:\n%s", ckDump(fs))
	}
	if wb.City == nil || wb.City.Code != testbook.CityCode || wb.Month.Format("2006-01") != testbook.Month ||
		wb.FiledOn.Format("2006-01-02") != "2026-11-03" {
		t.Errorf("cover facts not recorded: %v %v %v", wb.City, wb.Month, wb.FiledOn)
	}
}

// TestCheckFaultsByHand runs the rule cases against Check alone.
func TestCheckFaultsByHand(t *testing.T) {
	book := spec.Load()
	for _, c := range ckFaultCases() {
		if c.reader {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			if c.edit != nil {
				c.edit(b)
			}
			name := c.file
			if name == "" {
				name = testbook.FileName
			}
			wb := ckHandRead(t, book, b, filepath.Join("in", name))
			fs := Check(book, wb, c.opt)
			t.Log(ckDump(fs))
			c.assertOne(t, book, b, fs)
		})
	}
}

func TestFileNameFacts(t *testing.T) {
	book := spec.Load()
	for _, c := range []struct{ name, city, month string }{
		{"沈阳市_2026-10.xlsx", "沈阳市", "2026-10"},
		{"2026年10月-大连.xlsx", "大连市", "2026-10"},
		{"大连_202610.xlsx", "大连市", "2026-10"},
		{"沈阳市_2026-10_更正.xlsx", "沈阳市", "2026-10"},
		{"/x/2026/inbox/葫芦岛市2026年1月报表.xlsx", "葫芦岛市", "2026-01"},
		{"210200_202611.xlsx", "大连市", "2026-11"},
		{"鞍山 2026.9.xlsx", "鞍山市", "2026-09"},
		{"２０２６－１０朝阳.xlsx", "朝阳市", "2026-10"},
		{"报表.xlsx", "", ""},
		{"沈阳市_2026-11-03.xlsx", "沈阳市", ""},              // a date, perhaps the filing date
		{"沈阳市_2026-10_20261103.xlsx", "沈阳市", "2026-10"}, // the 8 digits are a date
		{"沈阳大连_2026-10_2026-09.xlsx", "", ""},           // two cities, two months
		{"poi__1519293514-KRISHNAPATNAM_LINE_UP.xlsx", "", ""},
		{"fuzz-POIFuzzer-5040805309710336.xlsx", "", ""},
		{"沈阳市_2026-13.xlsx", "沈阳市", ""},
		{"沈阳市_v2.xlsx", "沈阳市", ""},
	} {
		city, month := ckFileNameFacts(book, c.name)
		gotCity, gotMonth := "", ""
		if city != nil {
			gotCity = city.Name
		}
		if !month.IsZero() {
			gotMonth = month.Format("2006-01")
		}
		if gotCity != c.city || gotMonth != c.month {
			t.Errorf("%s: got %q %q, want %q %q", c.name, gotCity, gotMonth, c.city, c.month)
		}
	}
}

func TestOptionsResolve(t *testing.T) {
	book := spec.Load()
	for _, c := range []struct {
		opt         Options
		city, month string
		bad         bool
	}{
		{Options{}, "", "", false},
		{Options{City: "沈阳", Month: "2026-10"}, "沈阳市", "2026-10", false},
		{Options{City: "210200", Month: "202611"}, "大连市", "2026-11", false},
		{Options{City: " 锦州市 ", Month: "2026年3月"}, "锦州市", "2026-03", false},
		{Options{City: "辽宁省盘锦市"}, "盘锦市", "", false},
		{Options{Month: "2026/12"}, "", "2026-12", false},
		{Options{City: "北京"}, "", "", true},
		{Options{Month: "2026-13"}, "", "", true},
		{Options{Month: "十月"}, "", "", true},
	} {
		city, month, err := c.opt.Resolve(book)
		if (err != nil) != c.bad {
			t.Errorf("%+v: err %v", c.opt, err)
			continue
		}
		if err != nil {
			if !ckHasHan(err.Error()) {
				t.Errorf("%+v: error not in Chinese: %v", c.opt, err)
			}
			continue
		}
		gotCity, gotMonth := "", ""
		if city != nil {
			gotCity = city.Name
		}
		if !month.IsZero() {
			gotMonth = month.Format("2006-01")
		}
		if gotCity != c.city || gotMonth != c.month {
			t.Errorf("%+v: got %q %q", c.opt, gotCity, gotMonth)
		}
	}
}

// TestCheckCoverFallback: with the cover's month unreadable, the month the
// command line and the file name agree on is used for the other rules; when
// they disagree, the rules that need the month are skipped.
func TestCheckCoverFallback(t *testing.T) {
	book := spec.Load()
	for _, c := range []struct {
		name, file string
		opt        Options
		wantRange  bool
	}{
		{"file name gives the month", "沈阳市_2026-10.xlsx", Options{}, true},
		{"command line gives the month", "报表.xlsx", Options{Month: "2026-10"}, true},
		{"they disagree", "沈阳市_2026-09.xlsx", Options{Month: "2026-10"}, false},
		{"nobody says", "报表.xlsx", Options{}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			b.Set("封面", 0, "报送月份", "十月")
			b.Set("联系活动", 0, "活动日期", "2026-11-12")
			fs := Check(book, ckHandRead(t, book, b, c.file), c.opt)
			var codes []string
			for _, f := range fs {
				codes = append(codes, f.Code)
			}
			want := []string{"E_COVER"}
			if c.wantRange {
				want = append(want, "E_RANGE")
			}
			if strings.Join(codes, " ") != strings.Join(want, " ") {
				t.Fatalf("got %v, want %v:\n%s", codes, want, ckDump(fs))
			}
			if skipped := strings.Contains(fs[0].Message, "暂不进行"); skipped == c.wantRange {
				t.Errorf("the E_COVER message must say whether date checks are skipped: %s", fs[0].Message)
			}
		})
	}
}

// TestCheckNoCascade: one fault gives one finding even when other rules
// look at the same value.
func TestCheckNoCascade(t *testing.T) {
	book := spec.Load()
	for _, c := range []struct {
		name string
		edit func(b *testbook.Book)
		want []string
	}{
		{"organization sheet missing: no E_REF", func(b *testbook.Book) { ckRemoveSheet(b, "社会组织") }, nil},
		{"representatives sheet missing: no E_REF", func(b *testbook.Book) { ckRemoveSheet(b, "代表人士") }, nil},
		{"activities sheet missing: no E_REF", func(b *testbook.Book) { ckRemoveSheet(b, "联系活动") }, nil},
		{"participants missing: no headcount check", func(b *testbook.Book) {
			ckRemoveSheet(b, "活动参加人员")
			b.Set("联系活动", 1, "参加人数", 1)
		}, nil},
		{"credit code column missing: no E_REF", func(b *testbook.Book) { ckRemoveColumn(b, "社会组织", "统一社会信用代码") }, nil},
		{"cover missing: month from file name", func(b *testbook.Book) {
			ckRemoveSheet(b, "封面")
			b.Set("建言献策", 0, "报送日期", "2026-09-01")
		}, []string{"E_RANGE"}},
		{"wrong org code referenced as written: one finding", func(b *testbook.Book) {
			bad := ckOrg(2)[:17] + "0"
			if bad == ckOrg(2) {
				bad = ckOrg(2)[:17] + "1"
			}
			b.Set("社会组织", 2, "统一社会信用代码", bad)
			b.Set("代表人士", 2, "所在组织统一社会信用代码", bad)
		}, nil}, // both cells are reader errors (E_CREDIT_CODE), Check adds nothing
		{"duplicated activity: headcount checked once", func(b *testbook.Book) {
			r := ckCopyRow(b, "联系活动", 1)
			r[7] = 1
			ckAppendRow(b, "联系活动", r)
		}, []string{"E_DUPLICATE"}},
		{"repeated pair counts once against the headcount", func(b *testbook.Book) {
			b.Set("联系活动", 0, "参加人数", 1)
			ckAppendRow(b, "活动参加人员", []any{"SY-2026-10-01", strings.ToLower(ckRep(0))})
		}, []string{"E_DUPLICATE"}},
		{"party form refused by the reader: no consistency finding", func(b *testbook.Book) {
			b.Set("社会组织", 0, "党组织组建形式", "临时党支部")
		}, nil}, // E_ENUM is the reader's
		{"disputed city: no county or division findings", func(b *testbook.Book) {
			b.Set("封面", 0, "填报单位", "大连市")
			b.Set("社会组织", 0, "所在县(市、区)", "中山区")
		}, []string{"E_COVER"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			c.edit(b)
			fs := Check(book, ckHandRead(t, book, b, testbook.FileName), Options{})
			var got []string
			for _, f := range fs {
				got = append(got, f.Code)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("got %v, want %v:\n%s", got, c.want, ckDump(fs))
			}
		})
	}
}

// ckWrite writes a case's workbook into dir under its file name.
func ckWrite(t *testing.T, dir string, c ckFaultCase, b *testbook.Book) string {
	t.Helper()
	name := c.file
	if name == "" {
		name = testbook.FileName
	}
	path := filepath.Join(dir, name)
	if c.code == "E_FILE" {
		if err := os.WriteFile(path, []byte("填报单位,报送月份\n沈阳市,2026-10\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if err := b.Write(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestValidateValid(t *testing.T) {
	book := spec.Load()
	path, err := testbook.Valid().WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{}, {City: "沈阳市", Month: "2026-10"}, {City: "210100", Month: "202610"}} {
		r := Validate(context.Background(), book, path, opt)
		if len(r.Findings) != 0 {
			t.Fatalf("%+v: the valid workbook gives findings:\n%s", opt, ckDump(r.Findings))
		}
		wb := r.Workbook
		if wb == nil || wb.City == nil || wb.City.Name != testbook.City || wb.Month.Format("2006-01") != testbook.Month ||
			wb.FiledOn.Format("2006-01-02") != "2026-11-03" || r.File != path {
			t.Fatalf("cover facts: %+v", wb)
		}
	}
}

// TestValidateFaults: every finding code of submission.md, each from one
// injected fault, end to end through a real file.
func TestValidateFaults(t *testing.T) {
	book := spec.Load()
	dir := t.TempDir()
	seen := map[string]bool{}
	for i, c := range ckFaultCases() {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			if c.edit != nil {
				c.edit(b)
			}
			sub := filepath.Join(dir, strconv.Itoa(i))
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			r := Validate(context.Background(), book, ckWrite(t, sub, c, b), c.opt)
			t.Log(ckDump(r.Findings))
			c.assertOne(t, book, b, r.Findings)
		})
		seen[c.code] = true
	}
	for _, code := range ckAllCodes {
		if !seen[code] {
			t.Errorf("no case for %s", code)
		}
	}
}

// ckAllCodes is the finding table of submission.md, with the codes added
// where it is silent (spec.Codes).
var ckAllCodes = func() []string {
	var out []string
	for _, c := range spec.Codes {
		out = append(out, c.Code)
	}
	return out
}()

// TestValidateOrder: findings of many faults come sorted by sheet order of
// the spec (whatever the workbook's sheet order), row, then column (B
// before AA), the file's first.
func TestValidateOrder(t *testing.T) {
	book := spec.Load()
	b := testbook.Valid()
	// Sheets in reverse order in the workbook.
	for i, j := 0, len(b.Sheets)-1; i < j; i, j = i+1, j-1 {
		b.Sheets[i], b.Sheets[j] = b.Sheets[j], b.Sheets[i]
	}
	b.Set("提名举荐", 0, "举荐日期", "2026-09-01")
	b.Set("代表人士", 2, "是否重点联系", "是")
	b.Set("代表人士", 0, "性别", "女")
	b.Set("代表人士", 0, "纳入名单日期", "2027-01-01")
	b.Set("社会组织", 1, "所在县(市、区)", "中山区")
	b.Set("社会组织", 0, "从业人员数", 99)
	b.Set("封面", 0, "模板版本", "2024.1")
	ckRemoveSheet(b, "建言献策")
	path, err := b.WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	r := Validate(context.Background(), book, path, Options{})
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s!%s%d %s", f.Sheet, f.Column, f.Row, f.Code))
	}
	want := []string{
		"封面!B7 W_TEMPLATE_VERSION",
		"社会组织!G2 E_CONSISTENCY",
		"社会组织!E3 E_ENUM",
		"代表人士!C2 E_CONSISTENCY",
		"代表人士!O2 E_RANGE",
		"代表人士!K4 W_KEY_CONTACT_NOT_IN_POOL",
		"建言献策!0 E_SHEET_MISSING",
		"提名举荐!A2 E_RANGE",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	fs := []model.Finding{{Sheet: "社会组织", Row: 2, Column: "AA"}, {Sheet: "社会组织", Row: 2, Column: "B"}, {Sheet: "其他表"},
		{Sheet: "表3 党外代表人士"}, {Code: "E_FILE"}, {Sheet: "社会组织", Row: 1}}
	SortFindings(book, nil, fs)
	got = got[:0]
	for _, f := range fs {
		got = append(got, f.Sheet+f.Column+strconv.Itoa(f.Row))
	}
	if strings.Join(got, " ") != "0 社会组织1 社会组织B2 社会组织AA2 表3 党外代表人士0 其他表0" {
		t.Errorf("SortFindings: %v", got)
	}
}

// ckBigBook is Valid() grown to n organizations and representatives, n/4
// activities with four participants each.
func ckBigBook(n int) *testbook.Book {
	b := testbook.Valid()
	orgs, reps, acts, parts := b.Sheet("社会组织"), b.Sheet("代表人士"), b.Sheet("联系活动"), b.Sheet("活动参加人员")
	for i := 0; i < n; i++ {
		o := append([]any(nil), orgs.Rows[1]...)
		o[0] = testbook.CreditCode("51", "210100", 1000+i)
		orgs.Rows = append(orgs.Rows, o)
		r := append([]any(nil), reps.Rows[1]...)
		born := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		r[0] = testbook.IDNumber("210102", born.Format("20060102"), i%500*2+1, true)
		r[5] = o[0]
		reps.Rows = append(reps.Rows, r)
		if i%4 == 0 {
			a := append([]any(nil), acts.Rows[1]...)
			a[0], a[7] = fmt.Sprintf("SY-%06d", i), 4
			acts.Rows = append(acts.Rows, a)
		}
		parts.Rows = append(parts.Rows, []any{fmt.Sprintf("SY-%06d", i/4*4), r[0]})
	}
	return b
}

func BenchmarkCheck(b *testing.B) {
	book := spec.Load()
	wb := ckHandRead(b, book, ckBigBook(20000), testbook.FileName)
	if fs := Check(book, wb, Options{}); len(fs) != 0 {
		b.Fatalf("the big book is not valid: %d findings, first:\n%s", len(fs), ckDump(fs[:1]))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Check(book, wb, Options{})
	}
}

// TestCheckOddValues: Check never panics, whatever a reader hands it: short
// codes marked valid, rows shorter than the spec, tables without columns,
// an empty cover.
func TestCheckOddValues(t *testing.T) {
	book := spec.Load()
	odd := []model.Value{{}, {OK: true}, {S: "5", OK: true}, {S: "X", N: -1, OK: true}, {S: strings.Repeat("9", 30), N: 1e12, OK: true}}
	for k, v := range odd {
		wb := &model.Workbook{Path: "沈阳市_2026-10.xlsx", Tables: map[string]*model.Table{}}
		for _, s := range book.Sheets {
			tb := &model.Table{Spec: s, Name: s.Name, Cols: make([]string, len(s.Columns))}
			if s.Items {
				tb.Lines = []int{2} // shorter than the items
			}
			for r := 0; r < 3; r++ {
				vals := make([]model.Value, len(s.Columns)-r) // rows shorter than the spec
				for i := range vals {
					vals[i] = v
				}
				tb.Rows = append(tb.Rows, model.Row{Line: r + 2, Values: vals})
			}
			wb.Tables[s.Key] = tb
		}
		wb.Tables[spec.SheetActivities].Cols = nil
		wb.Tables[spec.SheetCover].Rows = nil
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("value %d %+v: Check panics: %v", k, v, p)
				}
			}()
			for _, f := range Check(book, wb, Options{City: "x", Month: "y"}) {
				if f.Message == "" || f.Code == "" {
					t.Errorf("empty finding %+v", f)
				}
			}
		}()
	}
	if Check(book, nil, Options{}) != nil {
		t.Error("Check(nil) must give nothing")
	}
}
