package transform_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/genwh"
	"ufa/transform"
)

// parquetType is what every warehouse type must be in every exported
// file (physical type / converted type), the table of docs/scale.md: no
// type left to a reader's guess, none that depends on the values.
var parquetType = map[string]string{
	"VARCHAR":   "BYTE_ARRAY/UTF8",
	"BIGINT":    "INT64/INT_64",
	"INTEGER":   "INT32/INT_32",
	"BOOLEAN":   "BOOLEAN/",
	"DATE":      "INT32/DATE",
	"DOUBLE":    "DOUBLE/",
	"TIMESTAMP": "INT64/TIMESTAMP_MICROS",
}

type column struct {
	name, typ string
	notNull   bool
}

// TestExportIsAPartitionedDataset exports two generated provinces (three
// months of the 14 cities each, with rejected and corrected workbooks),
// puts them side by side the two ways docs/scale.md tells a ministry to,
// and reads them back as one hive-partitioned dataset with DuckDB's
// read_parquet: the layout is the same whatever the rows (one province
// has no participants at all, another an all-null column in a partition),
// every file of a table has the same types, those of the warehouse, and
// the figures per month and city, and every value, are the warehouse's.
func TestExportIsAPartitionedDataset(t *testing.T) {
	ctx := context.Background()
	book := spec.Load()
	root := t.TempDir()
	national := filepath.Join(root, "national") // DuckDB: national/province=NN/<the export>
	provinces := []struct {
		code  string
		seed  int64
		alter string // what the province's data has that the others' lacks
	}{
		{"21", 3, "UPDATE organizations SET founded_on = NULL, staff_total = NULL, name = NULL WHERE month = '2026-02' AND city_code = '210100'"},
		{"22", 4, "DELETE FROM participants"},
	}
	dbs := map[string]string{}
	for _, p := range provinces {
		b, err := genwh.Build(ctx, book, gen.Options{Out: filepath.Join(root, "gen"+p.code), From: "2026-01", To: "2026-03",
			Seed: p.seed, Scale: 0.02, Faults: true, Workers: 1}, filepath.Join(root, p.code+".duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		dbs[p.code] = b.DB
		w, err := transform.Open(ctx, b.DB, transform.Options{Book: book})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.DB().ExecContext(ctx, p.alter); err != nil {
			t.Fatal(err)
		}
		got, err := w.Export(ctx, filepath.Join(national, "province="+p.code))
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range got {
			if e.Table == "participants" && (!e.Partitioned || (e.Rows == 0) != (p.code == "22")) {
				t.Errorf("province %s: participants exported as %+v", p.code, e)
			}
		}
	}

	// Spark and Trino: table first, by the script the docs give.
	hive := filepath.Join(root, "hive")
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed to run scripts/gather-export.sh")
	}
	for _, p := range provinces {
		out, err := exec.Command("bash", filepath.Join("..", "scripts", "gather-export.sh"), hive, p.code, filepath.Join(national, "province="+p.code)).CombinedOutput()
		if err != nil {
			t.Fatalf("gather-export.sh %s: %v\n%s", p.code, err, out)
		}
	}

	for _, p := range provinces {
		w, err := transform.Open(ctx, dbs[p.code], transform.Options{Book: book, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		db := w.DB()
		tables := warehouseTables(t, db)
		for _, table := range slices.Sorted(maps.Keys(tables)) {
			cols := tables[table]
			// A table whose every row has a month and a city (the sheet
			// tables, the indicator values) is partitioned by them.
			partitioned := notNull(cols, "month") && notNull(cols, "city_code")
			t.Run(p.code+"/"+table, func(t *testing.T) {
				checkFiles(t, db, filepath.Join(national, "province="+p.code), table, cols, partitioned)
				checkTypes(t, db, national, table, cols, partitioned)
				checkValues(t, db, national, p.code, table, cols, partitioned)
				if partitioned {
					checkFigures(t, db, national, p.code, table, cols)
				}
			})
		}
		w.Close()
	}
	// The query of docs/scale.md: the current organizations of every
	// province, month and city (rows of accepted workbooks; submission ids
	// are a province's own), as each warehouse's cur_organizations has them.
	db := openMem(t)
	want := map[string]int64{}
	for _, p := range provinces {
		w, err := transform.Open(ctx, dbs[p.code], transform.Options{Book: book, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := w.DB().Query("SELECT month, city_code, count(*) FROM cur_organizations GROUP BY ALL")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var month, city string
			var n int64
			if err := rows.Scan(&month, &city, &n); err != nil {
				t.Fatal(err)
			}
			want[p.code+" "+month+" "+city] = n
		}
		rows.Close()
		w.Close()
	}
	t.Chdir(national) // the paths as the docs write them
	rows, err := db.Query(`
WITH accepted AS (
  SELECT province, id
  FROM read_parquet('*/submissions.parquet', hive_partitioning = true,
                    hive_types = {'province': VARCHAR})
  WHERE outcome = 'accepted')
SELECT o.province, o.month, o.city, count(*) AS organizations
FROM read_parquet('*/organizations/**/*.parquet', hive_partitioning = true,
                  hive_types = {'province': VARCHAR, 'month': VARCHAR, 'city': VARCHAR}) o
JOIN accepted s ON s.province = o.province AND s.id = o.submission_id
GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for rows.Next() {
		var province, month, city string
		var n int64
		if err := rows.Scan(&province, &month, &city, &n); err != nil {
			t.Fatal(err)
		}
		got[province+" "+month+" "+city] = n
	}
	rows.Close()
	if len(want) < 60 || !maps.Equal(got, want) {
		t.Errorf("current organizations per province, month and city:\n got %v\nwant %v", got, want)
	}

	// The table-first copy holds the same rows, province by province.
	for _, table := range []string{"organizations", "participants", "mechanisms", "indicator_values", "submissions", "findings"} {
		partitioned := isDir(filepath.Join(national, "province=21", table))
		natGlob, types := readArgs(national, "*", table, partitioned)
		cols := "* EXCLUDE (province), province"
		if partitioned {
			cols = "* EXCLUDE (province, month, city), province, month, city"
		}
		var n, diff int64
		q := fmt.Sprintf(`WITH h AS (SELECT %[2]s FROM read_parquet(?, hive_partitioning = true, hive_types = %[1]s)),
			n AS (SELECT %[2]s FROM read_parquet(?, hive_partitioning = true, hive_types = %[1]s))
			SELECT (SELECT count(*) FROM h), (SELECT count(*) FROM ((FROM h EXCEPT ALL FROM n) UNION ALL (FROM n EXCEPT ALL FROM h)))`, types, cols)
		hiveGlob := filepath.Join(hive, table, "**", "*.parquet")
		if err := db.QueryRow(q, hiveGlob, natGlob).Scan(&n, &diff); err != nil {
			t.Errorf("%s table first: %v", table, err)
			continue
		}
		if n == 0 || diff != 0 {
			t.Errorf("%s table first: %d rows, %d differ from the provinces' exports", table, n, diff)
		}
	}
}

// checkFiles: a sheet table is a folder of month=/city= folders, every
// file two levels down; the others one file.
func checkFiles(t *testing.T, db *sql.DB, export, table string, cols []column, partitioned bool) {
	t.Helper()
	if !partitioned {
		if _, err := os.Stat(filepath.Join(export, table+".parquet")); err != nil {
			t.Error(err)
		}
		return
	}
	if _, err := os.Stat(filepath.Join(export, table+".parquet")); err == nil {
		t.Errorf("%s.parquet: a file where the table's month=/city= folders belong", table)
	}
	part := regexp.MustCompile(`^month=(\d{4}-\d{2}|__HIVE_DEFAULT_PARTITION__)/city=(\d{6}|__HIVE_DEFAULT_PARTITION__)/[^/]+\.parquet$`)
	n := 0
	err := filepath.WalkDir(filepath.Join(export, table), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(export, table), p)
		if !part.MatchString(filepath.ToSlash(rel)) {
			t.Errorf("file %s is not in month=/city= folders", rel)
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Errorf("%d files (%v)", n, err)
	}
}

// checkTypes: every file of the table, in every province, has the
// warehouse's columns (but the partition ones) in its order with the one
// Parquet type of each; read as a dataset with the hive types the docs
// give, the columns have the warehouse's types.
func checkTypes(t *testing.T, db *sql.DB, national, table string, cols []column, partitioned bool) {
	t.Helper()
	var want []string
	for _, c := range cols {
		if partitioned && (c.name == "month" || c.name == "city_code") {
			continue
		}
		pt, ok := parquetType[c.typ]
		if !ok {
			t.Errorf("column %s: warehouse type %s has no Parquet type in the docs' table", c.name, c.typ)
		}
		want = append(want, c.name+" "+pt)
	}
	files, err := filepath.Glob(filepath.Join(national, "*", table+".parquet"))
	if partitioned {
		files, err = filepath.Glob(filepath.Join(national, "*", table, "*", "*", "*.parquet"))
	}
	if err != nil || len(files) == 0 {
		t.Fatalf("no files (%v)", err)
	}
	for _, f := range files {
		rows, err := db.Query("SELECT name, type, coalesce(converted_type, '') FROM parquet_schema(?) WHERE num_children IS NULL OR num_children = 0", f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var name, typ, conv string
			if err := rows.Scan(&name, &typ, &conv); err != nil {
				t.Fatal(err)
			}
			got = append(got, name+" "+typ+"/"+conv)
		}
		rows.Close()
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", f, got, want)
		}
	}

	glob, types := readArgs(national, "*", table, partitioned)
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?, hive_partitioning = true, hive_types = "+types+"))", glob)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		got[name] = typ
	}
	wantRead := map[string]string{"province": "VARCHAR"}
	for _, c := range cols {
		if partitioned && c.name == "city_code" {
			wantRead["city"] = c.typ
		} else {
			wantRead[c.name] = c.typ
		}
	}
	if !maps.Equal(got, wantRead) {
		t.Errorf("read as a dataset:\n got %v\nwant %v", got, wantRead)
	}
}

// checkValues: the province's rows read back from the national dataset
// are the warehouse's, value by value (as a multiset).
func checkValues(t *testing.T, db *sql.DB, national, province, table string, cols []column, partitioned bool) {
	t.Helper()
	var wh, pq []string
	for _, c := range cols {
		wh = append(wh, quote(c.name))
		if partitioned && c.name == "city_code" {
			pq = append(pq, "city AS city_code")
		} else {
			pq = append(pq, quote(c.name))
		}
	}
	glob, types := readArgs(national, "province="+province, table, partitioned)
	q := fmt.Sprintf(`WITH w AS (SELECT %s FROM %s), p AS (SELECT %s FROM read_parquet(?, hive_partitioning = true, hive_types = %s) WHERE province = ?)
		SELECT (SELECT count(*) FROM w), (SELECT count(*) FROM p), (SELECT count(*) FROM ((FROM w EXCEPT ALL FROM p) UNION ALL (FROM p EXCEPT ALL FROM w)))`,
		strings.Join(wh, ", "), quote(table), strings.Join(pq, ", "), types)
	var nw, np, diff int64
	if err := db.QueryRow(q, glob, province).Scan(&nw, &np, &diff); err != nil {
		t.Fatal(err)
	}
	if nw != np || diff != 0 {
		t.Errorf("warehouse %d rows, export %d, %d rows differ", nw, np, diff)
	}
	if nw == 0 && hasRows(province, table) {
		t.Errorf("no rows: nothing compared")
	}
}

// checkFigures: per month and city, the count and the sums (numbers),
// counts (booleans, text) and ranges (dates) of every column are the
// warehouse's, reading the national dataset with DuckDB's defaults (which
// take city= for a number) as well as with the hive types of the docs.
func checkFigures(t *testing.T, db *sql.DB, national, province, table string, cols []column) {
	t.Helper()
	aggs := []string{"count(*)::VARCHAR"}
	for _, c := range cols {
		n := quote(c.name)
		switch c.typ {
		case "BIGINT", "INTEGER":
			aggs = append(aggs, "sum("+n+")::VARCHAR")
		case "DOUBLE":
			aggs = append(aggs, "sum("+n+"::DECIMAL(38,6))::VARCHAR")
		case "BOOLEAN":
			aggs = append(aggs, "count_if("+n+")::VARCHAR", "count("+n+")::VARCHAR")
		case "DATE":
			aggs = append(aggs, "min("+n+")::VARCHAR", "max("+n+")::VARCHAR")
		case "VARCHAR":
			if c.name != "month" && c.name != "city_code" {
				aggs = append(aggs, "count("+n+")::VARCHAR", "count(DISTINCT "+n+")::VARCHAR")
			}
		}
	}
	for i, a := range aggs {
		aggs[i] = "coalesce(" + a + ", '-')"
	}
	figures := "concat_ws(' ', " + strings.Join(aggs, ", ") + ")"
	glob, types := readArgs(national, "province="+province, table, true)
	sources := map[string]string{
		"warehouse":    fmt.Sprintf("SELECT month, city_code AS city, %s FROM %s GROUP BY ALL", figures, quote(table)),
		"hive types":   fmt.Sprintf("SELECT month, city, %s FROM read_parquet(?, hive_partitioning = true, hive_types = %s) WHERE province = ? GROUP BY ALL", figures, types),
		"autodetected": fmt.Sprintf("SELECT month::VARCHAR, city::VARCHAR, %s FROM read_parquet(?, hive_partitioning = true) WHERE province::VARCHAR = ? GROUP BY ALL", figures),
	}
	got := map[string]map[string]string{}
	for name, q := range sources {
		var args []any
		if name != "warehouse" {
			args = []any{glob, province}
		}
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got[name] = map[string]string{}
		for rows.Next() {
			var month, city sql.NullString
			var fig string
			if err := rows.Scan(&month, &city, &fig); err != nil {
				t.Fatal(err)
			}
			got[name][month.String+" "+city.String] = fig
		}
		rows.Close()
	}
	if len(got["warehouse"]) == 0 && hasRows(province, table) {
		t.Errorf("no month and city to compare")
	}
	for _, name := range []string{"hive types", "autodetected"} {
		if !maps.Equal(got[name], got["warehouse"]) {
			t.Errorf("figures per month and city read back (%s) differ from the warehouse's:\n got %v\nwant %v", name, got[name], got["warehouse"])
		}
	}
}

// hasRows: whether the generated province has rows in the table (the
// generator writes few nominations and suggestions at this scale, maybe
// none; province 22 has no participants).
func hasRows(province, table string) bool {
	switch table {
	case "nominations", "suggestions":
		return false
	case "participants":
		return province != "22"
	}
	return true
}

// readArgs: the glob and the hive types of a table in the national
// dataset (province "*" or "province=NN").
func readArgs(national, province, table string, partitioned bool) (glob, types string) {
	if partitioned {
		return filepath.Join(national, province, table, "**", "*.parquet"), "{'province': VARCHAR, 'month': VARCHAR, 'city': VARCHAR}"
	}
	return filepath.Join(national, province, table+".parquet"), "{'province': VARCHAR}"
}

// warehouseTables: the columns, in order, of every base table.
func warehouseTables(t *testing.T, db *sql.DB) map[string][]column {
	t.Helper()
	rows, err := db.Query(`SELECT table_name, column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
		WHERE table_schema = 'main' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE')
		ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]column{}
	for rows.Next() {
		var table string
		var c column
		if err := rows.Scan(&table, &c.name, &c.typ, &c.notNull); err != nil {
			t.Fatal(err)
		}
		out[table] = append(out[table], c)
	}
	if len(out) < 12 {
		t.Fatalf("only %d tables", len(out))
	}
	return out
}

func notNull(cols []column, name string) bool {
	return slices.ContainsFunc(cols, func(c column) bool { return c.name == name && c.notNull })
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// openMem is an in-memory DuckDB, an engine that knows nothing of the
// warehouses.
func openMem(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
