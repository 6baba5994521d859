package check

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"ufa/ingest/internal/ingesttest"
	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// Messy but valid workbooks, as cities really fill them in Excel and WPS:
// each must validate with no finding at all (submission.md, "How a
// workbook is read"), and its values must be read as meant.

func TestMessyValid(t *testing.T) {
	book := spec.Load()
	extra := map[string][][]any{
		"填写说明":   {{"说明"}, {"本表不读取"}},
		"Sheet3": {{"随手记的", 1, 2, 3}, {"公民身份号码", "统一社会信用代码"}},
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name     string
		book     func() *testbook.Book
		layout   map[string]ingesttest.Layout
		date1904 bool
		extra    map[string][][]any
	}{
		{name: "aliases ordinals titles shuffled blanks formulas", book: ingesttest.MessyBook, layout: ingesttest.MessyLayout(), extra: extra},
		{name: "real date cells 1900", book: ingesttest.RealDates},
		{name: "real date cells 1904", book: ingesttest.RealDates, date1904: true},
		{name: "1904 and messy", book: func() *testbook.Book {
			b := ingesttest.MessyBook()
			ingesttest.DatesAsCells(b)
			return b
		}, layout: ingesttest.MessyLayout(), date1904: true, extra: extra},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+"-沈阳市_2026-10.xlsx")
			ingesttest.MessyWrite(t, path, c.book(), c.layout, c.date1904, c.extra)
			r := Validate(context.Background(), book, path, Options{City: "沈阳", Month: "2026-10"})
			if len(r.Findings) != 0 {
				t.Fatalf("a messy but valid workbook gives findings:\n%s", ckDump(r.Findings))
			}
			wb := r.Workbook
			if wb.Date1904 != c.date1904 {
				t.Errorf("Date1904 = %v", wb.Date1904)
			}
			// The values are read as meant, not only accepted.
			ckWant(t, wb, spec.SheetCover, 0, "filled_on", "2026-11-03")
			ckWant(t, wb, spec.SheetActivities, 0, "date", "2026-10-12")
			ckWant(t, wb, spec.SheetActivities, 1, "date", "2026-10-20")
			ckWant(t, wb, spec.SheetSuggestions, 0, "date", "2026-10-15")
			ckWant(t, wb, spec.SheetNominations, 0, "date", "2026-10-22")
			ckWant(t, wb, spec.SheetOrganizations, 0, "founded_on", "2010-05-04")
			ckWant(t, wb, spec.SheetOrganizations, 2, "founded_on", "2001-01-15")
			ckWant(t, wb, spec.SheetRepresentatives, 0, "listed_on", "2020-03-01")
			ckWant(t, wb, spec.SheetRepresentatives, 1, "listed_on", "2022-07-15")
			if wb.Month.Format("2006-01") != "2026-10" || wb.City == nil || wb.City.Name != "沈阳市" {
				t.Errorf("cover: %v %v", wb.City, wb.Month)
			}
			if c.layout == nil {
				return
			}
			ckWant(t, wb, spec.SheetOrganizations, 0, "credit_code", testbook.Org(0))
			ckWant(t, wb, spec.SheetOrganizations, 2, "staff_total", "12") // the formula's cached value
			ckWant(t, wb, spec.SheetOrganizations, 1, "name", "沈阳市和平区阳光学校")
			ckWant(t, wb, spec.SheetOrganizations, 1, "org_type", "民办非企业单位")
			ckWant(t, wb, spec.SheetOrganizations, 0, "staff_total", "25")
			ckWant(t, wb, spec.SheetOrganizations, 0, "has_party_org", "是")
			ckWant(t, wb, spec.SheetOrganizations, 2, "has_party_org", "否")
			ckWant(t, wb, spec.SheetRepresentatives, 2, "id_number", ingesttest.IDWithX())
			ckWant(t, wb, spec.SheetRepresentatives, 0, "political_status", "民盟")
			ckWant(t, wb, spec.SheetActivities, 1, "headcount", "1030")
			ckWant(t, wb, spec.SheetMechanisms, 0, "budget_wan_yuan", "12.5")
			if n := len(wb.Tables[spec.SheetParticipants].Rows); n != 4 {
				t.Errorf("participants: %d rows, want 4 (blank rows skipped)", n)
			}
			if got := wb.Tables[spec.SheetOrganizations].Rows[0].Line; got != 4 {
				t.Errorf("first organization on row %d, want 4 (two title rows, the header)", got)
			}
		})
	}
}

// ckWant asserts one value as read, shown as a clerk would type it.
func ckWant(t *testing.T, wb *model.Workbook, sheet string, row int, key, want string) {
	t.Helper()
	tb := wb.Tables[sheet]
	if tb == nil {
		t.Errorf("%s missing", sheet)
		return
	}
	if row >= len(tb.Rows) {
		t.Errorf("%s has %d rows", sheet, len(tb.Rows))
		return
	}
	col := tb.Spec.ColumnIndex(key)
	r := &tb.Rows[row]
	if tb.Spec.Items {
		r = &tb.Rows[0]
	}
	c := ckCell{tb, r, col}
	if !c.ok() {
		t.Errorf("%s row %d %s: not read (%q)", sheet, row, key, c.v().S)
		return
	}
	got := c.shown()
	switch tb.Spec.Columns[col].Kind {
	case spec.Date:
		got = c.v().Date().Format("2006-01-02")
	case spec.Bool:
		got = map[bool]string{true: "是", false: "否"}[c.v().Bool()]
	case spec.Int, spec.Dec:
		got = fmt.Sprint(c.v().N)
	}
	if got != want {
		t.Errorf("%s row %d %s = %q, want %q", sheet, row, key, got, want)
	}
}
