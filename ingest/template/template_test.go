package template_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"ufa/ingest"
	"ufa/ingest/template"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

const (
	tplRows     = 5000 // data rows that carry validations (template.go)
	tplListName = "_lists"
)

// writeTemplate writes a template into memory and opens it again.
func writeTemplate(t *testing.T, book *spec.Book, opt template.Options) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := template.Write(book, &buf, opt); err != nil {
		t.Fatalf("WriteTemplate(%+v): %v", opt, err)
	}
	data := bytes.Clone(buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("reopen template: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, data
}

func colLetter(t *testing.T, i int) string {
	t.Helper()
	l, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// validationsBySqref indexes a sheet's data validations.
func validationsBySqref(t *testing.T, f *excelize.File, sheet string) map[string]*excelize.DataValidation {
	t.Helper()
	dvs, err := f.GetDataValidations(sheet)
	if err != nil {
		t.Fatalf("%s: GetDataValidations: %v", sheet, err)
	}
	m := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		m[dv.Sqref] = dv
	}
	return m
}

// listValues resolves a list validation's source to its values: an inline
// list, or a defined name on the hidden list sheet.
func listValues(t *testing.T, f *excelize.File, dv *excelize.DataValidation) []string {
	t.Helper()
	if dv.Type != "list" {
		t.Fatalf("validation %s: type %q, want list", dv.Sqref, dv.Type)
	}
	if strings.HasPrefix(dv.Formula1, `"`) {
		return strings.Split(strings.Trim(dv.Formula1, `"`), ",")
	}
	for _, dn := range f.GetDefinedName() {
		if dn.Name != dv.Formula1 {
			continue
		}
		// 'sheet'!$A$2:$A$15
		sheet, rng, ok := strings.Cut(dn.RefersTo, "!")
		if !ok {
			t.Fatalf("defined name %s: odd range %q", dn.Name, dn.RefersTo)
		}
		sheet = strings.Trim(sheet, "'")
		from, to, _ := strings.Cut(strings.ReplaceAll(rng, "$", ""), ":")
		c1, r1, err1 := excelize.CellNameToCoordinates(from)
		c2, r2, err2 := excelize.CellNameToCoordinates(to)
		if err1 != nil || err2 != nil || c1 != c2 {
			t.Fatalf("defined name %s: odd range %q", dn.Name, dn.RefersTo)
		}
		var out []string
		for r := r1; r <= r2; r++ {
			cell, _ := excelize.CoordinatesToCellName(c1, r)
			v, err := f.GetCellValue(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	t.Fatalf("validation %s: list source %q is neither inline nor a defined name", dv.Sqref, dv.Formula1)
	return nil
}

func hasChinese(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

// checkValidation asserts that dv is the right check for column c.
func checkValidation(t *testing.T, f *excelize.File, book *spec.Book, s *spec.Sheet, c *spec.Column, dv *excelize.DataValidation, city *spec.City) {
	t.Helper()
	where := s.Name + "/" + c.Name
	if dv == nil {
		t.Errorf("%s: no data validation", where)
		return
	}
	if !dv.AllowBlank {
		t.Errorf("%s: blank cells must pass (ufa validate reports missing required cells)", where)
	}
	if dv.Prompt == nil || !strings.Contains(*dv.Prompt, c.Help) {
		t.Errorf("%s: prompt %v does not carry the help %q", where, dv.Prompt, c.Help)
	}
	if dv.Type != "" && (dv.Error == nil || !hasChinese(*dv.Error) || !dv.ShowErrorMessage) {
		t.Errorf("%s: error message missing or not in Chinese: %v", where, dv.Error)
	}
	switch {
	case s.Key == spec.SheetCover && c.Key == "city":
		var want []string
		for _, c := range book.Cities {
			want = append(want, c.Name)
		}
		if got := listValues(t, f, dv); !slices.Equal(got, want) {
			t.Errorf("%s: list %v, want the 14 cities %v", where, got, want)
		}
		if strings.HasPrefix(dv.Formula1, `"`) {
			t.Errorf("%s: cities should come from the hidden list sheet, got inline %s", where, dv.Formula1)
		}
	case c.Key == "county":
		var want []string
		seen := map[string]bool{}
		for _, ci := range book.Cities {
			if city != nil && ci.Code != city.Code {
				continue
			}
			for _, co := range ci.Counties {
				if !seen[co.Name] {
					seen[co.Name] = true
					want = append(want, co.Name)
				}
			}
		}
		if got := listValues(t, f, dv); !slices.Equal(got, want) {
			t.Errorf("%s: list %v, want %v", where, got, want)
		}
		// A 6-digit code is valid too: the list must only warn.
		if dv.ErrorStyle == nil || *dv.ErrorStyle != "warning" {
			t.Errorf("%s: error style %v, want warning (codes are accepted)", where, dv.ErrorStyle)
		}
	case c.Kind == spec.Enum:
		if got := listValues(t, f, dv); !slices.Equal(got, c.Choices.Values) {
			t.Errorf("%s: list %v, want %v", where, got, c.Choices.Values)
		}
	case c.Kind == spec.Bool:
		if got := listValues(t, f, dv); !slices.Equal(got, []string{"是", "否"}) {
			t.Errorf("%s: list %v, want 是,否", where, got)
		}
	case c.Kind == spec.Date:
		if dv.Type != "date" || dv.Operator != "between" || dv.Formula1 != "36526" || dv.Formula2 != "73050" {
			t.Errorf("%s: %s %s %s..%s, want date between 2000-01-01 (36526) and 2099-12-31 (73050)", where, dv.Type, dv.Operator, dv.Formula1, dv.Formula2)
		}
	case c.Kind == spec.Int || c.Kind == spec.Dec:
		want := map[spec.Kind]string{spec.Int: "whole", spec.Dec: "decimal"}[c.Kind]
		if dv.Type != want || dv.Formula1 != strconv.FormatInt(c.Min, 10) {
			t.Errorf("%s: %s from %s, want %s from %d", where, dv.Type, dv.Formula1, want, c.Min)
		}
	case c.Kind == spec.Code18 || c.Kind == spec.ID18:
		if dv.Type != "textLength" || dv.Operator != "equal" || dv.Formula1 != "18" {
			t.Errorf("%s: %s %s %s, want textLength equal 18", where, dv.Type, dv.Operator, dv.Formula1)
		}
	case c.Kind == spec.Text && c.MaxLen > 0:
		if dv.Type != "textLength" || dv.Formula2 != strconv.Itoa(c.MaxLen) {
			t.Errorf("%s: %s ..%s, want textLength up to %d", where, dv.Type, dv.Formula2, c.MaxLen)
		}
	default:
		if dv.Type != "" {
			t.Errorf("%s: unexpected check %s on free text", where, dv.Type)
		}
	}
}

// numFmt returns a style's number format: "@" for text, the custom code, or
// "" for General.
func numFmt(t *testing.T, f *excelize.File, style int) string {
	t.Helper()
	st, err := f.GetStyle(style)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case st.NumFmt == 49:
		return "@"
	case st.CustomNumFmt != nil:
		return *st.CustomNumFmt
	case st.NumFmt == 0:
		return ""
	}
	return fmt.Sprintf("builtin %d", st.NumFmt)
}

func wantNumFmt(k spec.Kind) string {
	switch k {
	case spec.Text, spec.Code18, spec.ID18, spec.Month:
		return "@"
	case spec.Date:
		return "yyyy-mm-dd"
	}
	return ""
}

func TestTemplateStructure(t *testing.T) {
	book := spec.Load()
	shenyang, _ := book.City("沈阳市")
	for _, tc := range []struct {
		name       string
		opt        template.Options
		city       *spec.City
		coverCity  string
		coverMonth string
	}{
		{"city and month", template.Options{City: "沈阳市", Month: "2026-10"}, &shenyang, "沈阳市", "2026-10"},
		{"short name and code", template.Options{City: "沈阳", Month: "2026-01"}, &shenyang, "沈阳市", "2026-01"},
		{"city code", template.Options{City: "210100"}, &shenyang, "沈阳市", ""},
		{"blank", template.Options{}, nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := writeTemplate(t, book, tc.opt)

			// Sheets: instructions first and active, the spec's in order, the
			// hidden list sheet last.
			want := []string{spec.InstructionsSheet}
			for _, s := range book.Sheets {
				want = append(want, s.Name)
			}
			want = append(want, tplListName)
			if got := f.GetSheetList(); !slices.Equal(got, want) {
				t.Fatalf("sheets %v, want %v", got, want)
			}
			if got := f.GetActiveSheetIndex(); got != 0 {
				t.Errorf("active sheet %d, want 0 (%s)", got, spec.InstructionsSheet)
			}
			for _, name := range want {
				visible, err := f.GetSheetVisible(name)
				if err != nil {
					t.Fatal(err)
				}
				if visible != (name != tplListName) {
					t.Errorf("sheet %s visible=%v", name, visible)
				}
			}

			for _, s := range book.Sheets {
				panes, err := f.GetPanes(s.Name)
				if err != nil {
					t.Fatal(err)
				}
				if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
					t.Errorf("%s: panes %+v, want the header row frozen", s.Name, panes)
				}
				dvs := validationsBySqref(t, f, s.Name)
				if len(dvs) != len(s.Columns) {
					t.Errorf("%s: %d validations, want one per column/item (%d)", s.Name, len(dvs), len(s.Columns))
				}
				if s.Items {
					checkItemSheet(t, f, book, s, dvs, tc.city, tc.coverCity, tc.coverMonth)
				} else {
					checkTableSheet(t, f, book, s, dvs, tc.city)
				}
			}
		})
	}
}

func checkTableSheet(t *testing.T, f *excelize.File, book *spec.Book, s *spec.Sheet, dvs map[string]*excelize.DataValidation, city *spec.City) {
	t.Helper()
	rows, err := f.GetRows(s.Name)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%s: %d rows, want the header row only", s.Name, len(rows))
	}
	for i := range s.Columns {
		c := &s.Columns[i]
		l := colLetter(t, i)
		if i >= len(rows[0]) || rows[0][i] != c.Name {
			t.Errorf("%s: header %s1 = %q, want %q", s.Name, l, rows[0], c.Name)
			continue
		}
		hs, _ := f.GetCellStyle(s.Name, l+"1")
		st, err := f.GetStyle(hs)
		if err != nil {
			t.Fatal(err)
		}
		bold := st.Font != nil && st.Font.Bold
		fill := strings.Join(st.Fill.Color, "")
		if bold != c.Required {
			t.Errorf("%s/%s: header bold=%v, required=%v", s.Name, c.Name, bold, c.Required)
		}
		if (fill == "FCE4D6") != c.Required || fill == "" {
			t.Errorf("%s/%s: header fill %q, required=%v", s.Name, c.Name, fill, c.Required)
		}
		w, err := f.GetColWidth(s.Name, l)
		if err != nil {
			t.Fatal(err)
		}
		// The spec's width, with a floor of 9 so that short headers
		// (姓名, 性别) still show a name and the drop-down arrow.
		if want := max(c.Width, 9); w != want {
			t.Errorf("%s/%s: width %v, want %v", s.Name, c.Name, w, want)
		}
		cs, err := f.GetColStyle(s.Name, l)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := numFmt(t, f, cs), wantNumFmt(c.Kind); got != want {
			t.Errorf("%s/%s (%s): column number format %q, want %q", s.Name, c.Name, c.Kind, got, want)
		}
		checkValidation(t, f, book, s, c, dvs[fmt.Sprintf("%s2:%s%d", l, l, tplRows+1)], city)
	}
}

func checkItemSheet(t *testing.T, f *excelize.File, book *spec.Book, s *spec.Sheet, dvs map[string]*excelize.DataValidation, city *spec.City, coverCity, coverMonth string) {
	t.Helper()
	rows, err := f.GetRows(s.Name)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(s.Columns)+1 || !slices.Equal(rows[0], []string{"项目", "内容"}) {
		t.Fatalf("%s: rows %q, want 项目/内容 and one row per item", s.Name, rows)
	}
	for i := range s.Columns {
		c := &s.Columns[i]
		r := strconv.Itoa(i + 2)
		if rows[i+1][0] != c.Name {
			t.Errorf("%s: A%s = %q, want %q", s.Name, r, rows[i+1][0], c.Name)
		}
		want := ""
		if s.Key == spec.SheetCover {
			want = map[string]string{"city": coverCity, "month": coverMonth, "template_version": spec.TemplateVersion}[c.Key]
		}
		got, _ := f.GetCellValue(s.Name, "B"+r)
		if got != want {
			t.Errorf("%s/%s: B%s = %q, want %q", s.Name, c.Name, r, got, want)
		}
		if want != "" {
			if typ, _ := f.GetCellType(s.Name, "B"+r); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s/%s: pre-filled value is not text (type %v)", s.Name, c.Name, typ)
			}
		}
		cs, _ := f.GetCellStyle(s.Name, "B"+r)
		if got, want := numFmt(t, f, cs), wantNumFmt(c.Kind); got != want {
			t.Errorf("%s/%s (%s): number format %q, want %q", s.Name, c.Name, c.Kind, got, want)
		}
		checkValidation(t, f, book, s, c, dvs["B"+r], city)
	}
}

func TestTemplateInstructions(t *testing.T) {
	book := spec.Load()
	f, _ := writeTemplate(t, book, template.Options{City: "大连", Month: "2026-10"})
	rows, err := f.GetRows(spec.InstructionsSheet)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	byName := map[string][]string{}
	for _, r := range rows {
		all = append(all, strings.Join(r, "|"))
		if len(r) >= 5 {
			byName[r[0]] = r
		}
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"大连市", "2026-10", spec.TemplateVersion, "ufa validate", "2026-10-05", "文本格式", "必填", "大连市_2026-10.xlsx"} {
		if !strings.Contains(text, want) {
			t.Errorf("instructions do not mention %q", want)
		}
	}
	for _, s := range book.Sheets {
		if !strings.Contains(text, s.Name+"："+s.Help) {
			t.Errorf("instructions lack the section of sheet %s", s.Name)
		}
		for _, c := range s.Columns {
			r, ok := byName[c.Name]
			if !ok {
				t.Errorf("instructions lack %s/%s", s.Name, c.Name)
				continue
			}
			// Columns of the same name (活动编号 in two sheets) share a row
			// here; check the row's shape, and the help of the first.
			if r[1] == "" || r[2] == "" {
				t.Errorf("instructions row of %s is incomplete: %q", c.Name, r)
			}
			if c.Kind == spec.Enum && c.Key != "city" && !strings.Contains(r[3], c.Choices.Values[0]) {
				t.Errorf("instructions row of %s lacks the allowed values: %q", c.Name, r)
			}
		}
	}
	// The counties of the chosen city only.
	if r := byName["所在县(市、区)"]; len(r) < 4 || !strings.Contains(r[3], "中山区") || strings.Contains(r[3], "和平区") {
		t.Errorf("county row should list 大连市's counties only: %q", r)
	}
}

func TestTemplateDeterministic(t *testing.T) {
	book := spec.Load()
	opt := template.Options{City: "沈阳市", Month: "2026-10"}
	_, a := writeTemplate(t, book, opt)
	_, b := writeTemplate(t, spec.Load(), opt)
	if !bytes.Equal(a, b) {
		t.Errorf("two writes with the same arguments differ (%d vs %d bytes)", len(a), len(b))
	}
	_, c := writeTemplate(t, book, template.Options{City: "大连市", Month: "2026-10"})
	if bytes.Equal(a, c) {
		t.Errorf("another city gives the same bytes")
	}
	f, _ := writeTemplate(t, book, opt)
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2026-01-01T00:00:00Z" || props.Modified != props.Created || props.Version != spec.TemplateVersion {
		t.Errorf("doc props %+v: want fixed times and the template version", props)
	}
}

func TestTemplateBadOptions(t *testing.T) {
	book := spec.Load()
	for _, opt := range []template.Options{
		{City: "北京市"},
		{City: "2101"},
		{Month: "2026-13"},
		{Month: "2026-1"},
		{Month: "2026/10"},
		{Month: "202610"},
	} {
		var buf bytes.Buffer
		err := template.Write(book, &buf, opt)
		if !errors.Is(err, template.ErrOption) {
			t.Errorf("%+v: err %v, want ErrTemplateOption", opt, err)
			continue
		}
		if !hasChinese(err.Error()) || buf.Len() != 0 {
			t.Errorf("%+v: message %q, %d bytes written", opt, err, buf.Len())
		}
	}
	// Full-width digits and stray spaces are what a clerk types.
	var buf bytes.Buffer
	if err := template.Write(book, &buf, template.Options{City: " 沈阳市 ", Month: "２０２６-１０"}); err != nil {
		t.Errorf("normalised options refused: %v", err)
	}
}

// A list longer than Excel's 255 characters of an inline list moves to the
// hidden list sheet.
func TestTemplateLongEnum(t *testing.T) {
	book := spec.Load()
	c := book.Sheet(spec.SheetOrganizations).Column("sector")
	for i := 0; utf8.RuneCountInString(strings.Join(c.Choices.Values, ",")) < 400; i++ {
		c.Choices.Values = append(c.Choices.Values, fmt.Sprintf("领域%02d", i))
	}
	f, _ := writeTemplate(t, book, template.Options{})
	s := book.Sheet(spec.SheetOrganizations)
	l := colLetter(t, s.ColumnIndex("sector"))
	dv := validationsBySqref(t, f, s.Name)[fmt.Sprintf("%s2:%s%d", l, l, tplRows+1)]
	if dv == nil || strings.HasPrefix(dv.Formula1, `"`) {
		t.Fatalf("long list still inline: %+v", dv)
	}
	if got := listValues(t, f, dv); !slices.Equal(got, c.Choices.Values) {
		t.Errorf("long list %v, want %v", got, c.Choices.Values)
	}
}

// fillLikeAClerk types testbook's valid workbook into the template: every
// value into the template's own cell, found by the template's header (or
// item) name; dates as real Excel dates (what Excel makes of 2026-10-12
// typed into a date cell), codes and ID numbers as text, blanks left blank.
func fillLikeAClerk(t *testing.T, f *excelize.File, book *spec.Book, src *testbook.Book) {
	t.Helper()
	for _, ss := range src.Sheets {
		var s *spec.Sheet
		for _, x := range book.Sheets {
			if x.Name == ss.Name {
				s = x
			}
		}
		if s == nil {
			t.Fatalf("testbook sheet %s is not in the spec", ss.Name)
		}
		kindOf := map[string]spec.Kind{}
		for _, c := range s.Columns {
			kindOf[c.Name] = c.Kind
		}
		typed := func(name string, v any) any {
			str, ok := v.(string)
			if !ok || kindOf[name] != spec.Date || str == "" {
				return v
			}
			d, err := time.Parse("2006-01-02", str)
			if err != nil {
				t.Fatalf("%s/%s: testbook date %q: %v", s.Name, name, str, err)
			}
			return d
		}
		rows, err := f.GetRows(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Items {
			for _, r := range ss.Rows[1:] {
				line := slices.IndexFunc(rows, func(tr []string) bool { return len(tr) > 0 && tr[0] == r[0] })
				if line < 1 {
					t.Fatalf("%s: the template has no item %v", s.Name, r[0])
				}
				cell := "B" + strconv.Itoa(line+1)
				if cur, _ := f.GetCellValue(s.Name, cell); cur != "" {
					if cur != fmt.Sprint(r[1]) {
						t.Fatalf("%s/%v: pre-filled %q, testbook has %v", s.Name, r[0], cur, r[1])
					}
					continue // pre-filled by the template: the clerk leaves it
				}
				if err := f.SetCellValue(s.Name, cell, typed(r[0].(string), r[1])); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		for i, r := range ss.Rows[1:] {
			for j, v := range r {
				name := ss.Rows[0][j].(string)
				col := slices.Index(rows[0], name)
				if col < 0 {
					t.Fatalf("%s: the template has no column %s", s.Name, name)
				}
				if v == "" || v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(col+1, i+2)
				if err := f.SetCellValue(s.Name, cell, typed(name, v)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// The key acceptance test: the template, filled in as a clerk would, is a
// valid submission.
func TestTemplateFilledValidates(t *testing.T) {
	ctx := context.Background()
	book := spec.Load()
	f, _ := writeTemplate(t, book, template.Options{City: testbook.City, Month: testbook.Month})
	fillLikeAClerk(t, f, book, testbook.Valid())
	path := filepath.Join(t.TempDir(), testbook.FileName)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}

	// What the clerk's cells became: codes and IDs text, dates numbers
	// shown as dates.
	g, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, c := range []struct{ sheet, cell, want string }{
		{"社会组织", "A2", testbook.Org(0)},
		{"代表人士", "A2", testbook.Rep(0)},
		{"代表人士", "F2", testbook.Org(0)},
		{"活动参加人员", "B2", testbook.Rep(0)},
		{"联系活动", "B2", "2026-10-12"},
		{"封面", "B6", "2026-11-03"},
	} {
		if got, _ := g.GetCellValue(c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s shows %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	if typ, _ := g.GetCellType("社会组织", "A2"); typ != excelize.CellTypeSharedString {
		t.Errorf("credit code stored as %v, want text", typ)
	}

	for _, opt := range []ingest.Options{{}, {City: testbook.City, Month: testbook.Month}} {
		res := ingest.Validate(ctx, book, path, opt)
		for _, fd := range res.Findings {
			t.Errorf("%+v: %s %s!%s%d %s=%q: %s", opt, fd.Code, fd.Sheet, fd.Column, fd.Row, fd.Field, fd.Value, fd.Message)
		}
		if res.Workbook == nil || res.Workbook.City == nil || res.Workbook.City.Name != testbook.City {
			t.Errorf("%+v: cover city not read: %+v", opt, res.Workbook)
		}
	}
}

// The blank template is read without any finding about its structure: the
// only findings are the cover and mechanism items the clerk has to fill.
func TestTemplateBlankValidates(t *testing.T) {
	ctx := context.Background()
	book := spec.Load()
	_, data := writeTemplate(t, book, template.Options{City: "沈阳", Month: "2026-10"})
	path := filepath.Join(t.TempDir(), "沈阳市_2026-10.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, key := range []string{spec.SheetCover, spec.SheetMechanisms} {
		s := book.Sheet(key)
		for _, c := range s.Columns {
			if c.Required && c.Key != "city" && c.Key != "month" {
				want[s.Name+"/"+c.Key] = true
			}
		}
	}
	res := ingest.Validate(ctx, book, path, ingest.Options{})
	for _, fd := range res.Findings {
		if fd.Code != "E_REQUIRED" || !want[fd.Sheet+"/"+fd.Field] {
			t.Errorf("unexpected finding %s %s!%s%d %s: %s", fd.Code, fd.Sheet, fd.Column, fd.Row, fd.Field, fd.Message)
		}
		delete(want, fd.Sheet+"/"+fd.Field)
	}
	for k := range want {
		t.Errorf("no E_REQUIRED for the empty %s", k)
	}
}
