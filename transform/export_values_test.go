package transform

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"ufa/internal/testing/testbook"
)

// The Parquet export read back and compared with the warehouse row by row
// and value by value (issue 12): every column of every table, as a
// multiset of rows (EXCEPT ALL both ways, which treats nulls as equal),
// with the same column types. A partitioned table's month and city come
// back from the folder names.
func TestExportValuesReadBack(t *testing.T) {
	ctx := context.Background()
	w, _ := openTest(t)
	dir := t.TempDir()
	for _, name := range []string{"沈阳市", "大连市"} {
		for _, m := range []string{"2026-09", "2026-10"} {
			c := city(t, name)
			b := testbook.ValidFor(c, m)
			// Values of every kind that could be lost: a null count, a
			// fraction, a date, a quote and a comma.
			b.Set("社会组织", 0, "组织名称", `沈阳"软件",协会`)
			b.Set("工作机制", 0, "年度工作经费（万元）", 12.75)
			submit(t, w, writeBook(t, dir, b, testbook.FileNameFor(c, m)))
		}
	}
	bad := testbook.Valid()
	bad.Set("社会组织", 0, "从业人员数", -5)
	submit(t, w, writeBook(t, t.TempDir(), bad, "坏文件.xlsx"))

	out := filepath.Join(t.TempDir(), "parquet")
	got, err := w.Export(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 12 {
		t.Fatalf("%d tables exported", len(got))
	}
	for _, e := range got {
		cols, types := tableColumns(t, w, e.Table)
		src := "read_parquet('" + e.Path + "')"
		back := make([]string, len(cols))
		copy(back, cols)
		if e.Partitioned {
			src = "read_parquet('" + filepath.Join(e.Path, "**", "*.parquet") + "', hive_partitioning = true, hive_types_autocast = false)"
			for i, c := range back {
				if c == `"city_code"` {
					back[i] = `"city" AS "city_code"`
				}
			}
		}
		list, backList := strings.Join(cols, ", "), strings.Join(back, ", ")
		var missing, extra, n int64
		qm := "SELECT count(*) FROM (SELECT " + list + " FROM " + e.Table + " EXCEPT ALL SELECT " + backList + " FROM " + src + ")"
		qx := "SELECT count(*) FROM (SELECT " + backList + " FROM " + src + " EXCEPT ALL SELECT " + list + " FROM " + e.Table + ")"
		if err := w.DB().QueryRow(qm).Scan(&missing); err != nil {
			t.Fatalf("%s: %v", e.Table, err)
		}
		if err := w.DB().QueryRow(qx).Scan(&extra); err != nil {
			t.Fatalf("%s: %v", e.Table, err)
		}
		if err := w.DB().QueryRow("SELECT count(*) FROM " + e.Table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if missing != 0 || extra != 0 {
			t.Errorf("%s: %d rows of the warehouse not read back, %d read back that are not in it (of %d)", e.Table, missing, extra, n)
		}
		// Types: the file's columns have the warehouse's types.
		rows, err := w.DB().Query("SELECT column_name, column_type FROM (DESCRIBE SELECT " + backList + " FROM " + src + ")")
		if err != nil {
			t.Fatalf("%s: %v", e.Table, err)
		}
		for rows.Next() {
			var c, typ string
			if err := rows.Scan(&c, &typ); err != nil {
				t.Fatal(err)
			}
			if want := types[`"`+c+`"`]; typ != want {
				t.Errorf("%s.%s: %s read back, %s in the warehouse", e.Table, c, typ, want)
			}
		}
		rows.Close()
	}
	// Spot values that must be there, looked up in the files alone.
	var name string
	var funds float64
	if err := w.DB().QueryRow("SELECT name FROM read_parquet(?, hive_partitioning = true) WHERE city = '210200' AND month = '2026-09' AND excel_row = 2",
		filepath.Join(out, "organizations", "**", "*.parquet")).Scan(&name); err != nil || name != `沈阳"软件",协会` {
		t.Errorf("organization name read back %q (%v)", name, err)
	}
	if err := w.DB().QueryRow("SELECT budget_wan_yuan FROM read_parquet(?, hive_partitioning = true) WHERE city = '210100' AND month = '2026-10'",
		filepath.Join(out, "mechanisms", "**", "*.parquet")).Scan(&funds); err != nil || funds != 12.75 {
		t.Errorf("funds read back %v (%v)", funds, err)
	}
}

// tableColumns returns a table's quoted column names in order, and their types.
func tableColumns(t *testing.T, w *Warehouse, table string) ([]string, map[string]string) {
	t.Helper()
	rows, err := w.DB().Query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	types := map[string]string{}
	for rows.Next() {
		var c, typ string
		if err := rows.Scan(&c, &typ); err != nil {
			t.Fatal(err)
		}
		q := `"` + c + `"`
		cols = append(cols, q)
		types[q] = typ
	}
	if len(cols) == 0 {
		t.Fatalf("table %s has no columns", table)
	}
	return cols, types
}
