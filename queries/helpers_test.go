package queries

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ufa/internal/gen"
	"ufa/internal/testing/genwh"
	"ufa/metrics"
	"ufa/transform"
)

// The generated warehouse every query test reads: 14 cities, 2026-01 to
// 2026-03 at scale 0.02, with faults (rejected first attempts,
// corrections, a late and a skipped city-month), each month computed.
// Built once per test binary in a folder TestMain removes.
var shared = genwh.NewShared(gen.Options{From: "2026-01", To: "2026-03", Seed: 7, Scale: 0.02, Faults: true})

func built() (*genwh.Built, error) { return shared.Get() }

func TestMain(m *testing.M) { os.Exit(shared.Main(m)) }

// fixture opens the generated warehouse read-only, as ufa query does.
func fixture(t testing.TB) (*Runner, *genwh.Built) {
	t.Helper()
	b, err := built()
	if err != nil {
		t.Fatal(err)
	}
	w, err := transform.Open(context.Background(), b.DB, transform.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return &Runner{DB: w.DB()}, b
}

// writableCopy copies the generated warehouse into the test's folder and
// opens it for writing.
func writableCopy(t testing.TB) *transform.Warehouse {
	t.Helper()
	b, err := built()
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "ufa.duckdb")
	copyFile(t, b.DB, dst)
	w, err := transform.Open(context.Background(), dst, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.UseKey(context.Background(), genwh.Key); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// result is a whole result in memory.
type result struct {
	cols  []string
	rows  [][]any
	notes []string
}

// col returns the index of a column, failing the test when absent.
func (r *result) col(t testing.TB, name string) int {
	t.Helper()
	for i, c := range r.cols {
		if c == name {
			return i
		}
	}
	t.Fatalf("no column %s in %v", name, r.cols)
	return -1
}

func collect(t testing.TB, rows Rows) *result {
	t.Helper()
	defer rows.Close()
	r := &result{notes: rows.Notes()}
	for _, c := range rows.Columns() {
		r.cols = append(r.cols, c.Name)
	}
	for rows.Next() {
		r.rows = append(r.rows, append([]any(nil), rows.Values()...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return r
}

// named runs a named query with arguments k, v, k, v...
func named(t testing.TB, r *Runner, name string, kv ...string) *result {
	t.Helper()
	q, ok := Lookup(name)
	if !ok {
		t.Fatalf("no query %s", name)
	}
	args := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		args[kv[i]] = kv[i+1]
	}
	rows, err := r.Run(context.Background(), Request{Query: &q, Args: args})
	if err != nil {
		t.Fatalf("%s %v: %v", name, kv, err)
	}
	return collect(t, rows)
}

// values reads indicator_values of a month: city code → indicator → value
// (absent for null).
func values(t testing.TB, db *sql.DB, month string) map[string]map[string]float64 {
	t.Helper()
	rows, err := db.Query("SELECT city_code, indicator, value FROM indicator_values WHERE month = ? AND value IS NOT NULL", month)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]map[string]float64{}
	for rows.Next() {
		var c, ind string
		var v float64
		if err := rows.Scan(&c, &ind, &v); err != nil {
			t.Fatal(err)
		}
		if out[c] == nil {
			out[c] = map[string]float64{}
		}
		out[c][ind] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// count runs a query giving one number.
func count(t testing.TB, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// countBy counts rows of r by the value of column col.
func countBy(t testing.TB, r *result, col string) map[string]int {
	t.Helper()
	i := r.col(t, col)
	out := map[string]int{}
	for _, row := range r.rows {
		out[row[i].(string)]++
	}
	return out
}

// withLateRejection is a writable copy of the fixture in which 沈阳市 sent
// one more workbook for 2026-01 after its accepted one, with an error
// (gen's faults/E_CREDIT_CODE.xlsx, which is 沈阳市's of the first month):
// the city's latest attempt is rejected, its accepted workbook stands.
func withLateRejection(t testing.TB) *Runner {
	t.Helper()
	w := writableCopy(t)
	b, _ := built()
	ctx := context.Background()
	l, err := genwh.Submit(ctx, w, filepath.Join(b.Summary.Out, "faults", "E_CREDIT_CODE.xlsx"), time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if l.Outcome != transform.Rejected || l.CityName != "沈阳市" || l.Month != "2026-01" || l.Errors != 1 {
		t.Fatalf("late rejection: %+v", l)
	}
	if err := metrics.Compute(ctx, w.DB(), "2026-01", nil); err != nil {
		t.Fatal(err)
	}
	return &Runner{DB: w.DB()}
}
