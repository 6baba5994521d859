//go:build cgo

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/metrics"
	"ufa/transform"
)

// metricsWarehouse makes a warehouse holding the testbook workbooks of 沈阳
// and 大连 for 2026-10, loaded like ufa ingest does, and closes it.
func metricsWarehouse(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "ufa.duckdb")
	book := spec.Load()
	w, err := transform.Open(ctx, db, transform.Options{Book: book})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.UseKey(ctx, transform.DemoKey()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"沈阳市", "大连市"} {
		c, _ := book.City(name)
		p, err := testbook.ValidFor(c, "2026-10").WriteIn(dir, testbook.FileNameFor(c, "2026-10"))
		if err != nil {
			t.Fatal(err)
		}
		sha, err := transform.HashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res := ingest.Validate(ctx, book, p, ingest.Options{})
		if res.Errors() > 0 {
			t.Fatalf("%s: %d errors", p, res.Errors())
		}
		if _, err := w.Submit(ctx, transform.File{Name: filepath.Base(p), SHA256: sha, Received: time.Now()}, res); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func runUFA(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestMetricsCommandFormats(t *testing.T) {
	db := metricsWarehouse(t)
	nDefs := len(metrics.Definitions())

	code, out, errs := runUFA("metrics", "--db", db, "--month", "2026-10", "--format", "csv")
	if code != exitOK {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+15*nDefs {
		t.Fatalf("csv: %d records, want 1 + 15 × %d", len(recs), nDefs)
	}
	if strings.Join(recs[0], ",") != "month,city_code,city_name,indicator,value" {
		t.Errorf("csv header %v", recs[0])
	}
	if r := recs[1]; r[1] != "210000" || r[2] != "辽宁省" {
		t.Errorf("first row %v, want the province", r)
	}
	if r := recs[len(recs)-1]; r[1] != "211400" {
		t.Errorf("last row %v, want 葫芦岛 (the last code)", r)
	}
	lines := map[string]bool{}
	for _, r := range recs[1:] {
		lines[strings.Join(r, ",")] = true
	}
	for _, want := range []string{
		// 2 of 3 organizations: a fraction at full precision.
		"2026-10,210100,沈阳市,work_coverage,0.6666666666666666",
		"2026-10,210000,辽宁省,org_count,6",
		"2026-10,210000,辽宁省,submitted,2",
		// 鞍山 sent nothing: null is empty, submitted is 0.
		"2026-10,210300,鞍山市,org_count,",
		"2026-10,210300,鞍山市,submitted,0",
		"2026-10,210000,辽宁省,rank,",
	} {
		if !lines[want] {
			t.Errorf("csv lacks %q", want)
		}
	}

	code, out, errs = runUFA("metrics", "--db", db, "--month", "2026-10", "--format", "json")
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, errs)
	}
	jl := strings.Split(strings.TrimSpace(out), "\n")
	if len(jl) != 15*nDefs {
		t.Fatalf("json: %d lines", len(jl))
	}
	var first struct {
		Month, CityCode, CityName, Indicator string
		Value                                *float64
	}
	for i, l := range jl {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d %q: %v", i+1, l, err)
		}
		if len(v) != 5 {
			t.Errorf("line %d has keys %v", i+1, v)
		}
		if v["city_code"] == "210300" && v["indicator"] == "org_count" && v["value"] != nil {
			t.Errorf("鞍山 org_count %v, want null", v["value"])
		}
		if v["city_code"] == "210100" && v["indicator"] == "work_coverage" && v["value"] != 2.0/3 {
			t.Errorf("沈阳 work_coverage %v", v["value"])
		}
	}
	json.Unmarshal([]byte(strings.ReplaceAll(jl[0], "_", "")), &first)
	if first.CityCode != "210000" || first.Month != "2026-10" {
		t.Errorf("first json line %q", jl[0])
	}

	code, out, errs = runUFA("metrics", "--db", db, "--month", "2026-10")
	if code != exitOK {
		t.Fatalf("table: exit %d: %s", code, errs)
	}
	for _, want := range []string{"2026-10", "默认考核方案", "【综合评价】", "【组织覆盖】", "党的工作覆盖率", "66.7%", "沈阳市", "本月未报送", "鞍山市", "--explain"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestMetricsCommandSchemeAndExplain(t *testing.T) {
	db := metricsWarehouse(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "试行.yaml")
	os.WriteFile(good, []byte("name: 试行方案\nindicators:\n  - {indicator: work_coverage, weight: 100, target: 1}\n"), 0o644)
	bad := filepath.Join(dir, "错误.yaml")
	os.WriteFile(bad, []byte("name: 错误方案\nindicators:\n  - {indicator: work_coverage, weight: 80, target: 1}\n  - {indicator: org_cont, weight: 10, target: 0}\n"), 0o644)

	code, out, errs := runUFA("metrics", "--db", db, "--month", "2026-10", "--scheme", good, "--format", "csv")
	if code != exitOK {
		t.Fatalf("good scheme: exit %d: %s", code, errs)
	}
	// 100 × (2/3) / 1.
	if !strings.Contains(out, "2026-10,210100,沈阳市,score,66.66666666666") {
		t.Errorf("score by the custom scheme missing:\n%s", out)
	}
	code, _, errs = runUFA("metrics", "--db", db, "--month", "2026-10", "--scheme", bad)
	if code != exitFailed {
		t.Fatalf("bad scheme: exit %d", code)
	}
	for _, want := range []string{"考核方案有误", "org_cont", "不是已知指标", "目标值为 0", "之和为 90"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q: %s", want, errs)
		}
	}
	// The refused scheme changed nothing: the month keeps its values.
	code, out, _ = runUFA("metrics", "--db", db, "--month", "2026-10", "--explain", "score", "--city", "沈阳市")
	if code != exitOK || !strings.Contains(out, "试行方案") || !strings.Contains(out, "66.67") {
		t.Errorf("explain score after the refused scheme: exit %d\n%s", code, out)
	}

	code, out, errs = runUFA("metrics", "--db", db, "--month", "2026-10", "--explain", "work_coverage", "--city", "沈阳市")
	if code != exitOK {
		t.Fatalf("explain: exit %d: %s", code, errs)
	}
	for _, want := range []string{"党的工作覆盖率", "66.7%", "分子（党的工作覆盖社会组织数）：2", "分母（社会组织数）：3", "计入分子", "沈阳市软件行业协会"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runUFA("metrics", "--db", db, "--month", "2026-10", "--explain", "rep_count", "--city", "210000", "--format", "json")
	var e struct {
		Value float64 `json:"value"`
		Sets  []struct {
			Rows [][]any `json:"rows"`
		} `json:"sets"`
	}
	if err := json.Unmarshal([]byte(out), &e); code != exitOK || err != nil || e.Value != 6 || len(e.Sets) != 1 || len(e.Sets[0].Rows) != 6 {
		t.Errorf("explain json: exit %d, %v, %+v\n%s", code, err, e, out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"metrics", "--db", db}, "缺少 --month"},
		{[]string{"metrics", "--db", db, "--month", "2026-13"}, "YYYY-MM"},
		{[]string{"metrics", "--db", db, "--month", "2026-10", "--format", "xml"}, "--format"},
		{[]string{"metrics", "--db", db, "--month", "2026-10", "--explain", "score"}, "--city"},
		{[]string{"metrics", "--db", db, "--month", "2026-10", "--explain", "nope", "--city", "沈阳市"}, "不认识的指标"},
		{[]string{"metrics", "--db", db, "--month", "2026-12", "--explain", "rank", "--city", "沈阳市"}, "尚未计算"},
		{[]string{"metrics", "--db", filepath.Join(dir, "none.duckdb"), "--month", "2026-10", "--explain", "rank", "--city", "沈阳市"}, "找不到数据库"},
		{[]string{"metrics", "--scheme", filepath.Join(dir, "missing.yaml"), "--month", "2026-10"}, "无法读取考核方案文件"},
	} {
		code, _, errs := runUFA(tc.args...)
		if code != exitFailed || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args[1:], code, errs, tc.want)
		}
	}

	code, out, _ = runUFA("metrics", "--show-scheme")
	if code != exitOK || out != string(metrics.DefaultSchemeYAML()) {
		t.Errorf("--show-scheme: exit %d\n%s", code, out)
	}
	code, out, _ = runUFA("metrics", "--list")
	if code != exitOK || !strings.Contains(out, "key_contact_visit_coverage_3m") || !strings.Contains(out, "重点联系人士走访覆盖率（近三个月）") {
		t.Errorf("--list: exit %d\n%s", code, out)
	}
}
