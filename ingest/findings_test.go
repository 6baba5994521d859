package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// A sheet where the same fault repeats on every row lists the first
// model.MaxFindingsPerKind and one closing finding with the total, so that a
// wholly wrong workbook cannot exhaust a clerk's PC.
func TestFindingsBoundedPerKind(t *testing.T) {
	const extra = model.MaxFindingsPerKind + 234
	b := testbook.Valid()
	orgs := b.Sheet("社会组织")
	for i := 0; i < extra; i++ {
		row := append([]any(nil), orgs.Rows[1]...)
		row[orgs.Col("统一社会信用代码")] = fmt.Sprintf("BAD%05d", i)
		orgs.Rows = append(orgs.Rows, row)
	}
	path, err := b.WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	res := Validate(context.Background(), spec.Load(), path, Options{})
	var listed, closing int
	for _, f := range res.Findings {
		switch {
		case f.Code != "E_CREDIT_CODE":
			t.Errorf("unexpected finding %s at %s%d: %s", f.Code, f.Column, f.Row, f.Message)
		case f.Row == 0:
			closing++
			if !strings.Contains(f.Message, fmt.Sprint(extra)) || f.Sheet != "社会组织" {
				t.Errorf("closing finding %+v does not give the total %d", f, extra)
			}
		default:
			listed++
		}
	}
	if listed != model.MaxFindingsPerKind || closing != 1 {
		t.Errorf("%d listed and %d closing findings, want %d and 1", listed, closing, model.MaxFindingsPerKind)
	}
	// A rejected workbook's rows are let go (a batch holds results).
	if res.Workbook == nil || res.Workbook.Tables[spec.SheetOrganizations].Rows != nil {
		t.Error("the rejected workbook keeps its rows")
	}
	// Every count is the true total (issue 10 item 6): the result's, the
	// summary line's and --json's.
	if res.Errors() != extra || res.Warnings() != 0 {
		t.Errorf("Errors %d Warnings %d, want %d and 0", res.Errors(), res.Warnings(), extra)
	}
	if v := Verdict(res); !strings.HasPrefix(v, fmt.Sprintf("%d 个错误", extra)) {
		t.Errorf("verdict %q", v)
	}
	if j := ToJSON(spec.Load(), res); j.Errors != extra {
		t.Errorf("--json errors %d, want %d", j.Errors, extra)
	}
	var total strings.Builder
	if err := WriteTotal(&total, []*Result{res, res}); err != nil || !strings.Contains(total.String(), fmt.Sprintf("合计 %d 个错误", 2*extra)) {
		t.Errorf("total line %q (%v)", total.String(), err)
	}
}

// Findings name the contract's sheet (社会组织) for programs — the
// Finding, --json — whatever the city called it, and keep the city's own
// name for people: the text report and WorkbookSheet / workbook_sheet.
func TestFindingsNameContractSheet(t *testing.T) {
	b := testbook.Valid()
	b.Set("社会组织", 0, "统一社会信用代码", "BAD")
	b.Sheet("社会组织").Name = "社会组织名录"
	path, err := b.WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	book := spec.Load()
	res := Validate(context.Background(), book, path, Options{})
	var f *Finding
	for i := range res.Findings {
		if res.Findings[i].Code == "E_CREDIT_CODE" {
			f = &res.Findings[i]
		}
	}
	if f == nil {
		t.Fatalf("no E_CREDIT_CODE in %+v", res.Findings)
	}
	if f.Sheet != "社会组织" || f.WorkbookSheet != "社会组织名录" || f.SheetInWorkbook() != "社会组织名录" {
		t.Errorf("Sheet %q WorkbookSheet %q, want 社会组织 and 社会组织名录", f.Sheet, f.WorkbookSheet)
	}
	j := ToJSON(book, res)
	found := false
	for _, jf := range j.Findings {
		if jf.Code == "E_CREDIT_CODE" {
			found = true
			if jf.Sheet != "社会组织" || jf.WorkbookSheet == nil || *jf.WorkbookSheet != "社会组织名录" {
				t.Errorf("json sheet %q workbook_sheet %v", jf.Sheet, jf.WorkbookSheet)
			}
		}
	}
	if !found {
		t.Error("no E_CREDIT_CODE in --json")
	}
	var rep strings.Builder
	if err := WriteReport(&rep, book, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.String(), "【社会组织名录】") || !strings.Contains(rep.String(), "社会组织名录!A2") {
		t.Errorf("the report does not show the city's own sheet name:\n%s", rep.String())
	}
}
