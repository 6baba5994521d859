//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ufa/internal/testing/golden"
)

var goldenComputedAt = regexp.MustCompile(`指标于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 计算`)

func TestGoldenMonthlyJob(t *testing.T) {
	needAssets(t)
	goldenGen(t)
	for _, m := range []string{"2026-02", "2026-03"} {
		code, _, errs := runCmd(t, "run", "--db", "wh.duckdb", "--demo-key", "--month", m, "--inbox", filepath.Join("in", m), "--out", filepath.Join("out", m))
		if code != exitOK && code != exitFindings {
			t.Fatalf("run %s: exit %d: %s", m, code, errs)
		}
	}
	m := "2026-03"
	root := filepath.Join("out", m)
	var pages []string
	err := filepath.WalkDir(filepath.Join(root, "dashboards"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
		return err
	})
	if err != nil || len(pages) < 16 {
		t.Fatalf("dashboard pages: %d (%v)", len(pages), err)
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		golden.Check(t, "run/"+filepath.ToSlash(rel), b)
	}
	report, err := os.ReadFile(filepath.Join(root, m+"_考核报告.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	// The report says when its indicators were computed: that time is the
	// one part of it that is not a function of the workbooks.
	dump, err := golden.XLSX(report)
	if err != nil {
		t.Fatal(err)
	}
	golden.CheckText(t, "run/"+m+"_考核报告.txt", dump, func(s string) string {
		return goldenComputedAt.ReplaceAllString(s, "指标于 <计算时间> 计算")
	})
	for _, mm := range []string{"2026-02", "2026-03"} {
		rej, _ := filepath.Glob(filepath.Join("out", mm, "rejected", "*.xlsx"))
		for _, r := range rej {
			b, err := os.ReadFile(r)
			if err != nil {
				t.Fatal(err)
			}
			golden.CheckBinary(t, "run/rejected/"+strings.TrimSuffix(filepath.Base(r), ".xlsx")+".txt", b, golden.XLSX)
		}
	}
}
