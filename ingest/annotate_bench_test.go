package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"ufa/ingest/internal/ingesttest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// BenchmarkAnnotate100k: the annotated copy of a 100,000-organization
// workbook with one finding, against reading and checking it (Validate).
// Peak memory of the two as processes is in docs/bench.md.
func BenchmarkAnnotate100k(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), testbook.FileName)
	if err := ingesttest.BigBook(path, n); err != nil {
		b.Fatal(err)
	}
	book := spec.Load()
	r := &Result{File: path, Workbook: &Workbook{Path: path}, Findings: []Finding{
		{Severity: Error, Code: "E_CREDIT_CODE", Sheet: "社会组织", Row: n / 2, Column: "A", Message: "测试"}}}
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Validate(context.Background(), book, path, Options{})
		}
	})
	out := filepath.Join(b.TempDir(), "out.xlsx")
	b.Run("annotate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := Annotate(context.Background(), book, r, out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
