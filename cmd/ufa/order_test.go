//go:build cgo

package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/dashboards"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/transform"
)

// orderBook is a city's valid 2026-01 workbook filed on filed, with extra
// organizations added (so that which workbook is current shows in the
// figures) and, when broken, a wrong credit code (rejected).
func orderBook(t *testing.T, book *spec.Book, city, filed string, extra int, broken bool) *testbook.Book {
	t.Helper()
	c, ok := book.City(city)
	if !ok {
		t.Fatalf("no city %s", city)
	}
	b := testbook.ValidFor(c, "2026-01")
	b.Set("封面", 0, "填报日期", filed)
	orgs := b.Sheet("社会组织")
	for i := range extra {
		orgs.Rows = append(orgs.Rows, []any{testbook.CreditCode("51", c.Code, 20+i), "新增协会" + testbook.Itoa(i), "社会团体", "其他",
			c.Counties[0].Name, "市级", 3, 1, 2, "否", "", "是", 0, ""})
	}
	if broken {
		b.Set("社会组织", 1, "统一社会信用代码", "51"+c.Code+"MJ000001XX")
	}
	return b
}

func orderWrite(t *testing.T, b *testbook.Book, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := b.WriteIn(dir, name); err != nil {
		t.Fatal(err)
	}
}

// orderValue is a stored indicator value of a city for 2026-01.
func orderValue(t *testing.T, db *sql.DB, city, indicator string) float64 {
	t.Helper()
	var v sql.NullFloat64
	err := db.QueryRow("SELECT value FROM indicator_values WHERE month = '2026-01' AND city_code = ? AND indicator = ?", city, indicator).Scan(&v)
	if err != nil {
		t.Fatalf("%s %s: %v", city, indicator, err)
	}
	return v.Float64
}

// orderStatusRow is the report's 报送情况 row of a city, its cells joined.
func orderStatusRow(t *testing.T, path, city string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("报送情况")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if slices.Contains(r, city) {
			return strings.Join(r, "|")
		}
	}
	t.Fatalf("report: no 报送情况 row for %s", city)
	return ""
}

// One order of attempts (issue 10): an inbox where file-name order and
// 填报日期 order disagree, then a resent older workbook, and every figure
// follows the order ingest decided the attempts in.
//   - 沈阳市: a rejected first attempt (…_初报.xlsx, filed 02-02) and its
//     correction (…2026-01.xlsx, filed 02-03), whose name sorts first;
//   - 大连市: an on-time workbook (filed 02-04) and a late correction
//     (…(更正).xlsx, filed 02-12), whose name sorts first;
//   - 锦州市: a workbook (02-03) and its correction (02-10); in a second
//     run the city resends its older version (filed 02-03, other bytes).
func TestAttemptOrder(t *testing.T) {
	t.Setenv("UFA_KEY_FILE", "")
	t.Setenv("UFA_DEMO_KEY", "")
	ctx := context.Background()
	book := spec.Load()
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	db := filepath.Join(dir, "ufa.duckdb")
	const sy, dl, jz = "210100", "210200", "210700"

	orderWrite(t, orderBook(t, book, "沈阳市", "2026-02-02", 0, true), inbox, "沈阳市_2026-01_初报.xlsx")
	orderWrite(t, orderBook(t, book, "沈阳市", "2026-02-03", 1, false), inbox, "沈阳市_2026-01.xlsx")
	orderWrite(t, orderBook(t, book, "大连市", "2026-02-04", 0, false), inbox, "大连市_2026-01.xlsx")
	orderWrite(t, orderBook(t, book, "大连市", "2026-02-12", 2, false), inbox, "大连市_2026-01(更正).xlsx")
	orderWrite(t, orderBook(t, book, "锦州市", "2026-02-03", 0, false), inbox, "锦州市_2026-01.xlsx")
	orderWrite(t, orderBook(t, book, "锦州市", "2026-02-10", 3, false), inbox, "锦州市_2026-01(更正).xlsx")

	out := filepath.Join(dir, "out")
	code, stdout, stderr := ingestRun("run", "--db", db, "--demo-key", "--month", "2026-01", "--inbox", inbox, "--out", out)
	if code != exitFindings {
		t.Fatalf("run: exit %d, want 1 (a rejected workbook)\n%s%s", code, stdout, stderr)
	}
	// The ufa run summary.
	_, summary, _ := strings.Cut(stdout, "【2026-01 月度考核汇总】")
	for _, want := range []string{
		"已接收（3 个市）：沈阳市、大连市、锦州市\n",
		"其中替换了此前的版本：锦州市（替换 锦州市_2026-01.xlsx）、大连市（替换 大连市_2026-01.xlsx）\n",
		"被拒收（1 个文件）：\n  沈阳市_2026-01_初报.xlsx（沈阳市 2026-01）：2 个错误，其后报送的 沈阳市_2026-01.xlsx 已接收",
		"迟报（0 个市，填报日期晚于 2026-02-05）：无\n",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("run summary lacks %q\n%s", want, summary)
		}
	}

	w, err := transform.Open(ctx, db, transform.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	// The stored indicators.
	for _, c := range []struct {
		city, indicator string
		want            float64
	}{
		{sy, "error_count", 0}, {sy, "submission_count", 2}, {sy, "on_time", 1}, {sy, "org_count", testbook.OrgCount + 1},
		{dl, "error_count", 0}, {dl, "submission_count", 2}, {dl, "on_time", 1}, {dl, "org_count", testbook.OrgCount + 2},
		{jz, "submission_count", 2}, {jz, "on_time", 1}, {jz, "org_count", testbook.OrgCount + 3},
	} {
		if got := orderValue(t, w.DB(), c.city, c.indicator); got != c.want {
			t.Errorf("%s %s = %v, want %v", c.city, c.indicator, got, c.want)
		}
	}
	// The dashboards' submission history: attempts in the order taken.
	data, err := dashboards.Load(ctx, w.DB(), dashboards.LoadOptions{Month: "2026-01"})
	if err != nil {
		t.Fatal(err)
	}
	var hist []string
	for _, s := range data.Submissions {
		if s.City == sy || s.City == dl {
			hist = append(hist, s.File+" "+s.Outcome)
		}
	}
	if got, want := strings.Join(hist, "; "), "沈阳市_2026-01_初报.xlsx rejected; 沈阳市_2026-01.xlsx accepted; "+
		"大连市_2026-01.xlsx superseded; 大连市_2026-01(更正).xlsx accepted"; got != want {
		t.Errorf("dashboards history:\n%s\nwant\n%s", got, want)
	}
	if f := data.Details[sy].FindingsOf; f == nil || f.File != "沈阳市_2026-01.xlsx" {
		t.Errorf("dashboards: the latest findings of 沈阳市 are those of %+v", f)
	}
	w.Close()
	// The report's 报送情况: the latest attempt of 沈阳市 is its accepted
	// correction, with no errors.
	rep := filepath.Join(out, "2026-01_考核报告.xlsx")
	// 城市|已报送|填报日期|按时|报送次数|最近一次错误数|最近一次结果|填报人|联系电话|文件
	if row := orderStatusRow(t, rep, "沈阳市"); row != "沈阳市|是|2026-02-03|是|2|0|已接收|张三|024-12345678|沈阳市_2026-01.xlsx" {
		t.Errorf("report 沈阳市: %s", row)
	}
	if row := orderStatusRow(t, rep, "大连市"); !strings.HasPrefix(row, "大连市|是|2026-02-04|是|2|0|已接收|") {
		t.Errorf("report 大连市: %s", row)
	}

	// 锦州市 resends its older workbook: recorded, not current, one line
	// saying so and how to make it current.
	inbox2 := filepath.Join(dir, "inbox2")
	older := orderBook(t, book, "锦州市", "2026-02-03", 0, false)
	older.Set("封面", 0, "联系电话", "0416-1234567") // other bytes than the first
	orderWrite(t, older, inbox2, "锦州市_2026-01(重发).xlsx")
	out2 := filepath.Join(dir, "out2")
	code, stdout, stderr = ingestRun("run", "--db", db, "--demo-key", "--month", "2026-01", "--inbox", inbox2, "--out", out2)
	if code != exitOK {
		t.Fatalf("second run: exit %d\n%s%s", code, stdout, stderr)
	}
	line := "锦州市_2026-01(重发).xlsx（锦州市 2026-01）：通过校验，但填报日期 2026-02-03 早于现行版本 锦州市_2026-01(更正).xlsx 的 2026-02-10，未替换现行版本（已记入报送历史）；如确应以此版为准，请把封面的填报日期改为今天后重新报送\n"
	if strings.Count(stdout, line) != 2 { // the ingest's line, and the summary's
		t.Errorf("the older workbook's line (twice: ingest and summary) %q\n%s", line, stdout)
	}
	if !strings.Contains(stdout, "较早的版本（已记录，未替换现行版本）：\n") || strings.Contains(stdout, "此前已接收（本次没有新文件）：锦州市") {
		t.Errorf("summary\n%s", stdout)
	}
	w, err = transform.Open(ctx, db, transform.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var cur string
	if err := w.DB().QueryRow("SELECT file_name FROM cur_submissions WHERE city_code = ? AND month = '2026-01'", jz).Scan(&cur); err != nil || cur != "锦州市_2026-01(更正).xlsx" {
		t.Errorf("current 锦州市 workbook %q (%v)", cur, err)
	}
	for _, c := range []struct {
		indicator string
		want      float64
	}{{"submission_count", 3}, {"error_count", 0}, {"on_time", 1}, {"org_count", testbook.OrgCount + 3}} {
		if got := orderValue(t, w.DB(), jz, c.indicator); got != c.want {
			t.Errorf("锦州市 %s = %v, want %v", c.indicator, got, c.want)
		}
	}
	if row := orderStatusRow(t, filepath.Join(out2, "2026-01_考核报告.xlsx"), "锦州市"); !strings.Contains(row, "已接收（填报日期较早，未替换现行版本）") {
		t.Errorf("report 锦州市: %s", row)
	}
}

// Old warehouses open everywhere (issue 10): a read-only command migrates
// a warehouse written before migration 003, and when it cannot (the file
// is read-only) it says exactly that, exit 2.
func TestReadOnlyCommandMigrates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "ufa.duckdb")
	good, _ := testbook.Valid().WriteIn(dir, testbook.FileName)
	if code, out, errs := ingestRun("ingest", "--db", db, "--demo-key", good); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := ingestRun("metrics", "--db", db, "--month", "2026-10"); code != exitOK {
		t.Fatalf("metrics: exit %d\n%s%s", code, out, errs)
	}
	// Back to the schema of the ufa before migration 003.
	downgrade := func() {
		w, err := transform.Open(ctx, db, transform.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		for _, s := range []string{"DROP TABLE metric_inputs", "DROP SCHEMA portal CASCADE", "DROP VIEW first_accepted", "DROP VIEW latest_attempts", "DROP VIEW attempts", "DELETE FROM schema_version WHERE version >= 3"} {
			if _, err := w.DB().Exec(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	downgrade()
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	rep := filepath.Join(dir, "r.xlsx")
	code, _, stderr := ingestRun("report", "--db", db, "--month", "2026-10", "-o", rep)
	if code != exitFailed || !strings.Contains(stderr, "旧版本") || !strings.Contains(stderr, "只读") {
		t.Errorf("read-only old warehouse: exit %d\n%s", code, stderr)
	}
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := ingestRun("report", "--db", db, "--month", "2026-10", "-o", rep)
	if code != exitOK {
		t.Fatalf("old warehouse: exit %d\n%s%s", code, stdout, stderr)
	}
	if n := ingestCount(t, db, "latest_attempts")["latest_attempts"]; n != 1 {
		t.Errorf("latest_attempts after the migration: %d rows", n)
	}
}
