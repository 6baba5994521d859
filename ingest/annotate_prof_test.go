package ingest

import (
	"context"
	"os"
	"testing"

	"ufa/internal/spec"
)

func TestAnnProf(t *testing.T) {
	p := os.Getenv("ANN_PROF")
	if p == "" {
		t.Skip()
	}
	book := spec.Load()
	r := &Result{File: p, Workbook: &Workbook{Path: p}, Findings: []Finding{{Severity: Error, Code: "E_CREDIT_CODE", Sheet: "社会组织", Row: 50000, Column: "A", Message: "x"}}}
	if err := Annotate(context.Background(), book, r, t.TempDir()+"/o.xlsx"); err != nil {
		t.Fatal(err)
	}
}
