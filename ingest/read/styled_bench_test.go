package read

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"ufa/ingest/internal/ingesttest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// styledRowsBook writes the valid workbook with rows that are only styled
// (a style on the row and on two cells, no value) down to the last row of
// the grid, as a sheet formatted by whole columns is saved.
func styledRowsBook(tb testing.TB) string {
	b := testbook.Valid()
	p := ingesttest.Write(tb, b)
	part := rdSheetPart(b, "社会组织")
	rdRewrite(tb, p, func(n string, data []byte) []byte {
		if n != part {
			return data
		}
		var sb strings.Builder
		for r := 20; r <= 1048576; r++ {
			fmt.Fprintf(&sb, `<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/><c r="B%d" s="1"/></row>`, r, r, r)
		}
		return []byte(strings.Replace(string(data), "</sheetData>", sb.String()+"</sheetData>", 1))
	})
	return p
}

// BenchmarkStyledRows: trailing styled-but-empty rows down to row
// 1,048,576 (80 MB of XML), on the fast path and on the excelize
// fallback, which stops at the last row with a value
// (xlsxscan.Structure.LastRow) instead of decoding every row.
// Measured (2 shared cores): fast path about 2 s, fallback about 13 s
// wall (5 s of CPU, most of it the structure check), where excelize alone
// took over 30 s.
func BenchmarkStyledRows(b *testing.B) {
	p := styledRowsBook(b)
	book := spec.Load()
	for _, m := range []struct {
		name string
		mode rdMode
	}{{"fast", rdMode{}}, {"excelize", rdMode{excelizeOnly: true}}} {
		b.Run(m.name, func(b *testing.B) {
			for b.Loop() {
				wb, fs := rdReadWith(context.Background(), book, p, m.mode)
				if wb == nil || len(fs) > 0 {
					b.Fatalf("%v %v", wb != nil, fs)
				}
			}
		})
	}
}
