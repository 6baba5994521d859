//go:build cgo

package main

import (
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ufa/queries"
)

// queryWarehouse is metricsWarehouse (沈阳市 and 大连市, 2026-10) with the
// month computed.
func queryWarehouse(t *testing.T) string {
	t.Helper()
	db := metricsWarehouse(t)
	if code, _, errs := runUFA("metrics", "--db", db, "--month", "2026-10"); code != exitOK {
		t.Fatalf("metrics: exit %d: %s", code, errs)
	}
	return db
}

func queryFileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestQueryCommandList(t *testing.T) {
	code, out, errs := runUFA("query", "--list")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, q := range queries.List() {
		if !strings.Contains(out, "\n"+q.Name+"\n  "+q.Description) {
			t.Errorf("--list lacks %s with its description", q.Name)
		}
		for _, p := range q.Params {
			if !strings.Contains(out, "--param "+p.Name+"=") {
				t.Errorf("--list lacks %s's parameter %s", q.Name, p.Name)
			}
		}
	}
	code, out, _ = runUFA("query", "--list", "--format", "json")
	var list []struct {
		Name   string
		Params []struct {
			Name     string
			Required bool
			Default  *string
		}
	}
	if code != exitOK || json.Unmarshal([]byte(out), &list) != nil || len(list) != len(queries.List()) {
		t.Fatalf("json list: exit %d, %d queries: %s", code, len(list), out)
	}
	if list[0].Params[0].Name != "month" || !list[0].Params[0].Required || list[0].Params[0].Default != nil {
		t.Errorf("first parameter %+v", list[0].Params[0])
	}
}

func TestQueryCommandFormats(t *testing.T) {
	db := queryWarehouse(t)
	dir := t.TempDir()
	code, out, errs := runUFA("query", "--db", db, "ranking", "--param", "month=2026-10")
	if code != exitOK || !strings.Contains(out, "沈阳市") || !strings.Contains(out, "大连市") || !strings.Contains(out, "（共 2 行）") {
		t.Fatalf("table: exit %d\n%s%s", code, out, errs)
	}
	csvPath := filepath.Join(dir, "r.csv")
	code, out, errs = runUFA("query", "--db", db, "--format", "csv", "-o", csvPath, "coverage", "--param", "month=2026-10", "--param", "city=大连")
	if code != exitOK || out != "" {
		t.Fatalf("csv: exit %d: %s%s", code, out, errs)
	}
	data, _ := os.ReadFile(csvPath)
	if lines := strings.Split(strings.TrimSpace(string(data)), "\n"); len(lines) != 5 || !strings.HasPrefix(lines[0], "城市代码,城市,组织类型") || !strings.HasPrefix(lines[4], "210200,大连市,合计,3,") {
		t.Errorf("csv:\n%s", data)
	}
	code, out, _ = runUFA("query", "--db", db, "--format", "json", "SELECT city_name FROM cur_submissions ORDER BY city_code")
	if code != exitOK || out != "[\n  {\"city_name\": \"沈阳市\"},\n  {\"city_name\": \"大连市\"}\n]\n" {
		t.Errorf("json: exit %d %q", code, out)
	}
	code, out, errs = runUFA("query", "--db", db, "--format", "csv", "indicator_rows", "--param", "month=2026-10", "--param", "city=沈阳市", "--param", "indicator=work_coverage")
	if code != exitOK || !strings.HasPrefix(out, "填报城市,") || !strings.Contains(errs, "党的工作覆盖率（work_coverage）：66.7%") {
		t.Errorf("drill-down as csv: exit %d\n%s\nstderr: %s", code, out, errs)
	}
	xlsxPath := filepath.Join(dir, "r.xlsx")
	if code, _, errs := runUFA("query", "--db", db, "--format", "xlsx", "-o", xlsxPath, "SELECT name FROM cur_organizations ORDER BY credit_code"); code != exitOK {
		t.Fatalf("xlsx: exit %d: %s", code, errs)
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("查询结果")
	f.Close()
	if len(rows) != 7 || rows[0][0] != "name" {
		t.Errorf("xlsx rows %v", rows)
	}
	if st, _ := os.Stat(xlsxPath); st.Mode().Perm() != 0o644 {
		t.Errorf("xlsx mode %v", st.Mode())
	}
	pq := filepath.Join(dir, "r.parquet")
	if code, _, errs := runUFA("query", "--db", db, "--format", "parquet", "-o", pq, "uncovered_orgs", "--param", "month=2026-10"); code != exitOK {
		t.Fatalf("parquet: exit %d: %s", code, errs)
	}
	// Free SQL reads a file only when allowed to (see TestQuerySealed).
	code, out, _ = runUFA("query", "--db", db, "--format", "csv", "--allow-files", pq, "SELECT count(*) AS n, min(组织名称) AS name FROM read_parquet('"+pq+"')")
	if code != exitOK || out != "n,name\n2,辽宁省慈善基金会\n" {
		t.Errorf("parquet read back: exit %d %q", code, out)
	}
}

// A statement that writes is refused with exit 2 and a Chinese message,
// the warehouse file unchanged, no output file written.
func TestQueryCommandRefusesWrites(t *testing.T) {
	db := queryWarehouse(t)
	before := queryFileHash(t, db)
	dir := t.TempDir()
	for _, s := range []string{
		"INSERT INTO meta VALUES ('x', 'y')",
		"DROP TABLE submissions",
		"COPY submissions TO '" + filepath.Join(dir, "leak.csv") + "'",
		"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS o",
		"PRAGMA table_info('meta')",
		"SELECT 1; DELETE FROM submissions",
		"SELECT 1; SELECT 2",
	} {
		for _, format := range []string{"table", "parquet"} {
			out := filepath.Join(dir, "out."+format)
			code, stdout, errs := runUFA("query", "--db", db, "--format", format, "-o", out, s)
			if code != exitFailed || stdout != "" || !strings.Contains(errs, "只") {
				t.Errorf("%q (%s): exit %d, stderr %q", s, format, code, errs)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%q (%s): wrote %s", s, format, out)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files appeared: %v", entries)
	}
	if queryFileHash(t, db) != before {
		t.Error("the warehouse file changed")
	}
}

func TestQueryCommandUsage(t *testing.T) {
	db := queryWarehouse(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "缺少要运行的查询"},
		{[]string{"rankings"}, "没有名为 \"rankings\" 的命名查询"},
		{[]string{"ranking"}, "缺少参数 month"},
		{[]string{"ranking", "--param", "month=2026-1"}, "YYYY-MM"},
		{[]string{"ranking", "--param", "month=2026-09"}, "ufa metrics --month 2026-09"},
		{[]string{"ranking", "--param", "month"}, "名=值"},
		{[]string{"SELECT 1", "--param", "a=b"}, "只用于命名查询"},
		{[]string{"SELECT", "1"}, "引号"},
		{[]string{"--format", "xml", "ranking"}, "--format"},
		{[]string{"--format", "xlsx", "SELECT 1"}, "-o"},
		{[]string{"-o", "/no/such/dir/x.csv", "SELECT 1"}, "无法写出"},
		{[]string{"SELECT * FROM no_such_table"}, "no_such_table"},
	}
	for _, tc := range tests {
		args := append([]string{"query", "--db", db}, tc.args...)
		code, _, errs := runUFA(args...)
		if code != exitFailed || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	code, _, errs := runUFA("query", "--db", filepath.Join(t.TempDir(), "none.duckdb"), "SELECT 1")
	if code != exitFailed || !strings.Contains(errs, "找不到数据库") {
		t.Errorf("missing warehouse: exit %d %q", code, errs)
	}
}
