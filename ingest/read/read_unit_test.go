package read_test

import (
	"context"
	"strings"
	"testing"

	"ufa/ingest/check"
	"ufa/ingest/internal/ingesttest"
	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

// TestReadUnit: a header or item whose note names a unit other than the
// contract's is E_UNIT on its cell, and the workbook is rejected; a note
// naming the contract's unit, or one of the same size (名 for 人), is not.
func TestReadUnit(t *testing.T) {
	book := spec.Load()
	for _, c := range []struct {
		name        string
		sheet, from string // rename the header/item from → to
		to          string
		want        bool
		inMsg       string
	}{
		{"budget in yuan", "工作机制", "年度工作经费（万元）", "年度工作经费（元）", true, "原数值除以 10000"},
		{"budget, unit as a note", "工作机制", "年度工作经费（万元）", "年度工作经费(单位：元)", true, "万元"},
		{"budget in 万元 written plainly", "工作机制", "年度工作经费（万元）", "年度工作经费 (万元)", false, ""},
		{"staff in ten thousands", "社会组织", "从业人员数", "从业人员数（万人）", true, "原数值乘以 10000"},
		{"staff in persons", "社会组织", "从业人员数", "从业人员数（人）", false, ""},
		{"staff with 名", "社会组织", "从业人员数", "从业人员数【名】", false, ""},
		{"headcount in yuan", "联系活动", "参加人数", "参加人数（元）", true, "不可比"},
		{"a note that is no unit", "社会组织", "从业人员数", "从业人员数（必填）", false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := testbook.Valid()
			renamed := false
			s := b.Sheet(c.sheet)
			for i := range s.Rows {
				for j, v := range s.Rows[i] {
					if v == c.from {
						s.Rows[i][j] = c.to
						renamed = true
					}
				}
			}
			if !renamed {
				t.Fatalf("no %q in %s", c.from, c.sheet)
			}
			p := ingesttest.Write(t, b)
			res := check.Validate(context.Background(), book, p, check.Options{})
			var got []model.Finding
			for _, f := range res.Findings {
				if f.Code == "E_UNIT" {
					got = append(got, f)
				}
			}
			if !c.want {
				if len(got) > 0 || res.Errors() > 0 {
					t.Fatalf("want no error:%s", ingesttest.Dump(res.Findings))
				}
				return
			}
			if len(got) != 1 || got[0].Severity != model.Error || got[0].Sheet != c.sheet || got[0].Row == 0 ||
				got[0].Column == "" || !strings.Contains(got[0].Message, c.inMsg) {
				t.Fatalf("want one E_UNIT on %s with %q:%s", c.sheet, c.inMsg, ingesttest.Dump(res.Findings))
			}
			if res.Errors() == 0 {
				t.Error("E_UNIT does not stop the workbook")
			}
		})
	}
}
