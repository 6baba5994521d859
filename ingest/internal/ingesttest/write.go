package ingesttest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/ingest/model"
	"ufa/internal/testing/testbook"
)

// Write writes b into a fresh temporary directory.
func Write(t testing.TB, b *testbook.Book) string {
	t.Helper()
	p, err := b.WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Dump lists findings one a line, for a failure's message.
func Dump(fs []model.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s %s!%s%d [%s] %q: %s", f.Code, f.Sheet, f.Column, f.Row, f.Field, f.Value, f.Message)
	}
	return b.String()
}

// BigBook writes testbook.Valid with n valid organizations.
func BigBook(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	valid := testbook.Valid()
	for i, s := range valid.Sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		if s.Name == "社会组织" {
			continue
		}
		for r, row := range s.Rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.Name, cell, &row); err != nil {
				return err
			}
		}
	}
	sw, err := f.NewStreamWriter("社会组织")
	if err != nil {
		return err
	}
	orgs := valid.Sheet("社会组织").Rows
	if err := sw.SetRow("A1", orgs[0]); err != nil {
		return err
	}
	counties := []string{"和平区", "沈河区", "大东区", "皇姑区", "铁西区"}
	types := []struct{ prefix, kind string }{{"51", "社会团体"}, {"52", "民办非企业单位"}, {"53", "基金会"}}
	for i := 0; i < n; i++ {
		k := types[i%3]
		staff := 5 + i%50
		party := i % 5
		row := []any{
			testbook.CreditCode(k.prefix, "210100", i+1), "沈阳市第" + testbook.Itoa(i+1) + "社会组织", k.kind, "其他",
			counties[i%len(counties)], "市级", staff, party, staff - party, "否", "", "是", 1, "2015-06-01",
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
