package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ufa/ingest/model"
	"ufa/internal/codes"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// sampleResult is a hand-made result of 沈阳市 for 2026-10 whose
// representatives sheet carries an alias name, with findings out of order
// on every level: cell, row, sheet, file.
func sampleResult(book *spec.Book) *model.Result {
	city, _ := book.City("沈阳市")
	reps := &model.Table{Spec: book.Sheet(spec.SheetRepresentatives), Name: "代表人士名单", HeaderRow: 2}
	orgs := &model.Table{Spec: book.Sheet(spec.SheetOrganizations), Name: "社会组织", HeaderRow: 1}
	return &model.Result{
		File: "in/沈阳市_2026-10.xlsx",
		Workbook: &model.Workbook{
			City:   &city,
			Month:  time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
			Tables: map[string]*model.Table{spec.SheetRepresentatives: reps, spec.SheetOrganizations: orgs},
		},
		Findings: []model.Finding{
			{Severity: model.Error, Code: "E_ID_NUMBER", Sheet: "代表人士名单", Row: 5, Column: "A", Field: "id_number",
				Value: "210102198003071230", Message: "公民身份号码校验位错误：请核对身份证原件后重新填写"},
			{Severity: model.Warning, Code: "W_OUTLIER", Sheet: "社会组织", Row: 9, Column: "G", Field: "staff_total",
				Value: "20000", Message: "从业人员数超过 10000：请核实"},
			{Severity: model.Error, Code: "E_CREDIT_CODE", Sheet: "社会组织", Row: 7, Column: "B", Field: "credit_code",
				Value: "51210100MJ0000000X", Message: "统一社会信用代码校验位错误：请核对登记证书"},
			{Severity: model.Error, Code: "E_SHEET_MISSING", Sheet: "提名举荐", Message: "缺少工作表“提名举荐”：请从模板复制该表"},
			{Severity: model.Error, Code: "E_REF", Sheet: "活动参加人员", Row: 3, Column: "B", Field: "id_number",
				Value: testbook.Rep(2), Message: "该身份证号 " + testbook.Rep(2) + " 不在“代表人士”表中"},
			{Severity: model.Error, Code: "E_DUPLICATE", Sheet: "活动参加人员", Row: 4, Field: "activity_id",
				Value: "SY-01 " + testbook.Rep(0), Message: "与第3行重复：同一活动同一人只填一行"},
			{Severity: model.Error, Code: "E_COVER", Sheet: "封面", Row: 2, Column: "B", Field: "city",
				Value: "铁岭市", Message: "填报单位与文件名不一致"},
			{Severity: model.Error, Code: "E_COLUMN_MISSING", Sheet: "代表人士名单", Row: 0, Field: "gender", Message: "缺少列“性别”"},
		},
	}
}

func TestWriteReport(t *testing.T) {
	book := spec.Load()
	r := sampleResult(book)
	var buf bytes.Buffer
	if err := WriteReport(&buf, book, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	t.Log("\n" + out)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")

	if want := "文件：in/沈阳市_2026-10.xlsx（填报单位：沈阳市，报送月份：2026-10）"; lines[0] != want {
		t.Errorf("heading = %q, want %q", lines[0], want)
	}
	if want := "7 个错误，1 个警告；不能上报：请改正全部错误后重新校验"; lines[len(lines)-1] != want {
		t.Errorf("summary = %q, want %q", lines[len(lines)-1], want)
	}
	// Groups in the spec's sheet order, whatever the findings' order.
	var groups []string
	for _, l := range lines {
		if strings.HasPrefix(l, "【") {
			groups = append(groups, l)
		}
	}
	wantGroups := []string{"【封面】1 条", "【社会组织】2 条", "【代表人士名单】2 条", "【活动参加人员】2 条", "【提名举荐】1 条"}
	if strings.Join(groups, "|") != strings.Join(wantGroups, "|") {
		t.Errorf("groups = %q, want %q", groups, wantGroups)
	}
	for _, want := range []string{
		"  错误 E_CREDIT_CODE 社会组织!B7 统一社会信用代码 值“51210100MJ0000000X”：统一社会信用代码校验位错误：请核对登记证书",
		"  警告 W_OUTLIER 社会组织!G9 从业人员数 值“20000”：",
		"  错误 E_ID_NUMBER 代表人士名单!A5 公民身份号码 值“210102********1230”：",
		"  错误 E_SHEET_MISSING 提名举荐：缺少工作表",
		"  错误 E_DUPLICATE 活动参加人员!第4行 活动编号 值“SY-01 " + codes.MaskID(testbook.Rep(0)) + "”",
		"  错误 E_COLUMN_MISSING 代表人士名单 性别：缺少列“性别”",
		"该身份证号 " + codes.MaskID(testbook.Rep(2)) + " 不在",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Within a sheet: by row (B7 before G9).
	if strings.Index(out, "社会组织!B7") > strings.Index(out, "社会组织!G9") {
		t.Error("社会组织!B7 should come before 社会组织!G9")
	}
	for _, id := range []string{"210102198003071230", testbook.Rep(0), testbook.Rep(2)} {
		if strings.Contains(out, id) {
			t.Errorf("report shows ID number %s in clear", id)
		}
	}
}

func TestWriteReportClean(t *testing.T) {
	book := spec.Load()
	tests := []struct {
		name string
		r    *model.Result
		want []string
	}{
		{"valid", &model.Result{File: "a.xlsx", Workbook: sampleResult(book).Workbook},
			[]string{"文件：a.xlsx（填报单位：沈阳市，报送月份：2026-10）", "  未发现问题。", "0 个错误，0 个警告；可以上报"}},
		{"warnings only", &model.Result{File: "b.xlsx", Workbook: sampleResult(book).Workbook, Findings: []model.Finding{
			{Severity: model.Warning, Code: "W_TEMPLATE_VERSION", Sheet: "封面", Row: 7, Column: "B", Field: "template_version", Value: "2025.1", Message: "模板版本不是 2026.1"}}},
			[]string{"文件：b.xlsx（填报单位：沈阳市，报送月份：2026-10）", "【封面】1 条",
				"  警告 W_TEMPLATE_VERSION 封面!B7 模板版本 值“2025.1”：模板版本不是 2026.1", "0 个错误，1 个警告；可以上报"}},
		{"unreadable", &model.Result{File: "c.xls", Findings: []model.Finding{{Severity: model.Error, Code: "E_FILE", Message: "这是 .xls 文件：请另存为 .xlsx"}}},
			[]string{"文件：c.xls（填报单位：未能识别，报送月份：未能识别）", "【整个文件】1 条",
				"  错误 E_FILE 整个文件：这是 .xls 文件：请另存为 .xlsx", "1 个错误，0 个警告；不能上报：请改正全部错误后重新校验"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteReport(&buf, book, tt.r); err != nil {
				t.Fatal(err)
			}
			if got, want := buf.String(), strings.Join(tt.want, "\n")+"\n"; got != want {
				t.Errorf("report:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestWriteTotal(t *testing.T) {
	book := spec.Load()
	rs := []*model.Result{sampleResult(book), {File: "x.xlsx"}, {File: "y.xlsx", Findings: []model.Finding{{Severity: model.Warning, Code: "W_OUTLIER"}}}}
	var buf bytes.Buffer
	if err := WriteTotal(&buf, rs); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "共 3 个文件：2 个可以上报，1 个不能上报；合计 7 个错误，2 个警告\n"; got != want {
		t.Errorf("total = %q, want %q", got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	book := spec.Load()
	var buf bytes.Buffer
	r := sampleResult(book)
	if err := WriteJSON(&buf, book, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&buf, book, &model.Result{File: `d:\报送\坏.xlsx`, Findings: []model.Finding{{Severity: model.Error, Code: "E_FILE", Message: "无法打开"}}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&buf, book, &model.Result{File: "ok.xlsx", Workbook: r.Workbook}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want one per file (3):\n%s", len(lines), buf.String())
	}
	// Key order of cli.md.
	keys := []string{`"file":`, `"city":`, `"city_code":`, `"month":`, `"errors":`, `"warnings":`, `"findings":`}
	last := -1
	for _, k := range keys {
		i := strings.Index(lines[0], k)
		if i <= last {
			t.Errorf("key %s missing or out of order in %s", k, lines[0])
		}
		last = i
	}
	fkeys := []string{`"severity":`, `"code":`, `"sheet":`, `"row":`, `"column":`, `"field":`, `"value":`, `"message":`}
	first := lines[0][strings.Index(lines[0], `"findings":`):]
	last = -1
	for _, k := range fkeys {
		i := strings.Index(first, k)
		if i <= last {
			t.Errorf("finding key %s missing or out of order", k)
		}
		last = i
	}
	for _, id := range []string{"210102198003071230", testbook.Rep(0), testbook.Rep(2)} {
		if strings.Contains(buf.String(), id) {
			t.Errorf("JSON shows ID number %s in clear", id)
		}
	}

	type finding struct {
		Severity, Code, Sheet string
		Row                   *int
		Column                *string
		Field, Value, Message string
	}
	type result struct {
		File             string
		City             *string
		CityCode         *string `json:"city_code"`
		Month            *string
		Errors, Warnings int
		Findings         []finding
	}
	var got [3]result
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &got[i]); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
	}
	g := got[0]
	if g.File != "in/沈阳市_2026-10.xlsx" || *g.City != "沈阳市" || *g.CityCode != "210100" || *g.Month != "2026-10" || g.Errors != 7 || g.Warnings != 1 {
		t.Errorf("head = %+v", g)
	}
	if len(g.Findings) != 8 {
		t.Fatalf("findings = %d, want 8", len(g.Findings))
	}
	byCode := map[string]finding{}
	var order []string
	for _, f := range g.Findings {
		byCode[f.Code] = f
		order = append(order, f.Code)
	}
	if want := "E_COVER E_CREDIT_CODE W_OUTLIER E_COLUMN_MISSING E_ID_NUMBER E_REF E_DUPLICATE E_SHEET_MISSING"; strings.Join(order, " ") != want {
		t.Errorf("order = %s, want %s", strings.Join(order, " "), want)
	}
	cc := byCode["E_CREDIT_CODE"]
	if cc.Severity != "error" || cc.Sheet != "社会组织" || cc.Row == nil || *cc.Row != 7 || cc.Column == nil || *cc.Column != "B" ||
		cc.Field != "credit_code" || cc.Value != "51210100MJ0000000X" || !strings.HasPrefix(cc.Message, "统一社会信用代码校验位错误") {
		t.Errorf("E_CREDIT_CODE = %+v", cc)
	}
	if w := byCode["W_OUTLIER"]; w.Severity != "warning" {
		t.Errorf("W_OUTLIER severity = %q", w.Severity)
	}
	if v := byCode["E_ID_NUMBER"].Value; v != "210102********1230" {
		t.Errorf("E_ID_NUMBER value = %q, want masked", v)
	}
	if v := byCode["E_REF"].Value; v != codes.MaskID(testbook.Rep(2)) {
		t.Errorf("E_REF id value = %q, want masked", v)
	}
	if m := byCode["E_REF"].Message; !strings.Contains(m, codes.MaskID(testbook.Rep(2))) {
		t.Errorf("E_REF message = %q, want the ID masked", m)
	}
	if sm := byCode["E_SHEET_MISSING"]; sm.Row != nil || sm.Column != nil || sm.Sheet != "提名举荐" {
		t.Errorf("sheet-level finding: row %v column %v sheet %q, want nulls", sm.Row, sm.Column, sm.Sheet)
	}
	if d := byCode["E_DUPLICATE"]; d.Row == nil || *d.Row != 4 || d.Column != nil {
		t.Errorf("row finding: row %v column %v", d.Row, d.Column)
	}

	bad := got[1]
	if bad.File != `d:\报送\坏.xlsx` || bad.City != nil || bad.CityCode != nil || bad.Month != nil || bad.Errors != 1 {
		t.Errorf("unreadable = %+v", bad)
	}
	if f := bad.Findings[0]; f.Row != nil || f.Column != nil || f.Sheet != "" {
		t.Errorf("file-level finding = %+v", f)
	}
	if !strings.Contains(lines[2], `"findings":[]`) {
		t.Errorf("clean file: findings must be [] not null: %s", lines[2])
	}
	if !strings.Contains(lines[1], `"city":null,"city_code":null,"month":null`) {
		t.Errorf("unknown cover must give nulls: %s", lines[1])
	}
}

func TestMaskIDsIn(t *testing.T) {
	id := testbook.Rep(1)
	credit := testbook.Org(0)
	tests := []struct{ in, want string }{
		{"", ""},
		{"身份证号 " + id + " 重复", "身份证号 " + codes.MaskID(id) + " 重复"},
		{id + "," + id, codes.MaskID(id) + "," + codes.MaskID(id)},
		{"信用代码 " + credit, "信用代码 " + credit},
		{"从业人员 123456789012345678 人", "从业人员 123456789012345678 人"}, // no birth date in it
		{"A" + id, "A" + id}, // glued to other characters: not a number on its own
		{strings.ToLower("110101199003070019x"), "110101199003070019x"}, // 19 characters
		{"110101199003071234x", "110101199003071234x"},
		{"11010119900307123x", "110101********123x"},
	}
	for _, tt := range tests {
		if got := maskIDsIn(tt.in); got != tt.want {
			t.Errorf("maskIDsIn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Text from a workbook cannot break the report's lines or send control
// sequences to the terminal, and a long cell is cut.
func TestWriteReportHostileText(t *testing.T) {
	book := spec.Load()
	long := strings.Repeat("长", 200)
	r := &model.Result{File: "x\x1b[2J.xlsx", Findings: []model.Finding{
		{Severity: model.Warning, Code: "W_COLUMN_UNKNOWN", Sheet: "社会\n组织", Row: 1, Column: "P", Value: "备注\n\x1b[31m红\r\t字\x07", Message: "多余的列\n已忽略"},
		{Severity: model.Error, Code: "E_RANGE", Sheet: "社会组织", Row: 2, Column: "B", Field: "name", Value: long, Message: "组织名称超过 100 字"},
	}}
	var buf bytes.Buffer
	if err := WriteReport(&buf, book, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\x1b\r\t\x07") {
		t.Errorf("control characters reach the terminal: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 6 { // heading, 2 groups, 2 findings, verdict
		t.Errorf("%d lines, want 6:\n%s", len(lines), out)
	}
	for _, want := range []string{
		"文件：x[2J.xlsx（",
		"  警告 W_COLUMN_UNKNOWN 社会 组织!P1 值“备注 [31m红  字”：多余的列 已忽略",
		"值“" + strings.Repeat("长", maxShown) + "…”",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
