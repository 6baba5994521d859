package metrics

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"ufa/internal/month"
	"ufa/internal/spec"
	"ufa/internal/sqlfile"
)

// The scripts Compute runs around the indicators' queries (sql/compute/).
const (
	paramsFile = "sql/compute/params.sql"
	citiesFile = "sql/compute/cities.sql"
	inputsFile = "sql/compute/inputs.sql"
	storeFile  = "sql/compute/store.sql"
)

//go:embed sql/compute/params.sql
var paramsSQL string

//go:embed sql/compute/cities.sql
var citiesSQL string

//go:embed sql/compute/inputs.sql
var inputsSQL string

//go:embed sql/compute/store.sql
var storeSQL string

// querier is what preparing and evaluating need: a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ParseMonth reads a YYYY-MM month (its first day, UTC).
func ParseMonth(s string) (time.Time, error) {
	m, err := month.Parse(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("月份 %q 格式有误，应为 YYYY-MM，如 2026-10", s)
	}
	return m.Start(), nil
}

// window is a month and the bounds of what its indicators read.
type window struct {
	month, prev, w3, ytd, first time.Time // first days of months
	next                        time.Time // first day of the next month
	deadline                    time.Time
}

func newWindow(m time.Time, s *Scheme) window {
	w := window{
		month: m,
		prev:  m.AddDate(0, -1, 0),
		w3:    m.AddDate(0, -2, 0),
		ytd:   time.Date(m.Year(), 1, 1, 0, 0, 0, 0, time.UTC),
		next:  m.AddDate(0, 1, 0),
	}
	w.first = w.w3
	if w.ytd.Before(w.first) {
		w.first = w.ytd
	}
	w.deadline = s.Deadline(m)
	return w
}

const ymd = "2006-01-02"

// prepare builds the m_* temporary tables of inputs.sql for the month on
// the transaction's connection.
func prepare(ctx context.Context, q querier, book *spec.Book, w window) error {
	ym := func(t time.Time) string { return t.Format("2006-01") }
	if _, err := q.ExecContext(ctx, paramsSQL, spec.ProvinceCode, ym(w.month), ym(w.prev), ym(w.w3), ym(w.ytd), ym(w.first),
		w.month.Format(ymd), w.next.Format(ymd), w.w3.Format(ymd), w.ytd.Format(ymd), w.deadline.Format(ymd)); err != nil {
		return fmt.Errorf("metrics: %s: %w", paramsFile, err)
	}
	var codes, names []string
	for _, c := range book.Cities {
		codes = append(codes, c.Code)
		names = append(names, c.Name)
	}
	if _, err := q.ExecContext(ctx, citiesSQL, codes, names); err != nil {
		return fmt.Errorf("metrics: %s: %w", citiesFile, err)
	}
	for _, st := range sqlfile.Split(inputsSQL, sqlfile.Script) {
		if _, err := q.ExecContext(ctx, st.SQL); err != nil {
			return fmt.Errorf("metrics: %s:%d (%s): %w", inputsFile, st.Line, sqlfile.FirstLine(st.SQL), err)
		}
	}
	return nil
}

var tempObject = regexp.MustCompile(`(?i)CREATE OR REPLACE TEMP (TABLE|VIEW) (\w+)`)

// tempObjects lists the temporary tables and views Compute creates, as
// "TABLE name" / "VIEW name", to drop them.
func tempObjects() []string {
	var out []string
	for _, s := range []string{paramsSQL, citiesSQL, inputsSQL, storeSQL} {
		for _, m := range tempObject.FindAllStringSubmatch(s, -1) {
			out = append(out, strings.ToUpper(m[1])+" "+m[2])
		}
	}
	return out
}

func dropTemp(ctx context.Context, q querier) error {
	objs := tempObjects()
	for i := len(objs) - 1; i >= 0; i-- {
		kind, name, _ := strings.Cut(objs[i], " ")
		// Names come from our embedded files, not from input.
		if _, err := q.ExecContext(ctx, "DROP "+kind+" IF EXISTS temp."+name); err != nil {
			return fmt.Errorf("metrics: dropping %s: %w", name, err)
		}
	}
	return nil
}

// evalSQL runs one indicator's @value query into m_values: the value is
// the query's num, or Scale × num / den for a ratio (null when den is 0).
const evalSQL = `INSERT INTO m_values
SELECT ?::VARCHAR, v.city_code, v.num::DOUBLE, v.den::DOUBLE,
       CASE WHEN NOT ?::BOOLEAN THEN v.num::DOUBLE
            WHEN v.den IS NULL OR v.den = 0 THEN NULL
            ELSE ?::DOUBLE * v.num::DOUBLE / v.den::DOUBLE END
FROM (
`

func evaluate(ctx context.Context, q querier, defs []Definition) error {
	for _, st := range sqlfile.Split(storeSQL, sqlfile.Script)[:1] { // CREATE m_values
		if _, err := q.ExecContext(ctx, st.SQL); err != nil {
			return fmt.Errorf("metrics: m_values: %w", err)
		}
	}
	for _, d := range defs {
		if !d.Scored() {
			continue
		}
		// The indicator's own query, embedded at build time, is nested as
		// a subquery; values go through placeholders.
		if _, err := q.ExecContext(ctx, evalSQL+d.value+"\n) v", d.ID, d.IsRatio(), d.Scale); err != nil {
			return fmt.Errorf("metrics: indicator %s (%s): %w", d.ID, d.file, err)
		}
	}
	var dup string
	err := q.QueryRowContext(ctx, `SELECT indicator || ' ' || city_code FROM m_values GROUP BY indicator, city_code HAVING count(*) > 1 LIMIT 1`).Scan(&dup)
	if err == nil {
		return fmt.Errorf("metrics: indicator query gives two values for %s", dup)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("metrics: checking m_values: %w", err)
	}
	return nil
}

type valueKey struct{ city, indicator string }

func readValues(ctx context.Context, q querier) (map[valueKey]float64, error) {
	rows, err := q.QueryContext(ctx, `SELECT city_code, indicator, value FROM m_values WHERE value IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("metrics: reading m_values: %w", err)
	}
	defer rows.Close()
	out := map[valueKey]float64{}
	for rows.Next() {
		var k valueKey
		var v float64
		if err := rows.Scan(&k.city, &k.indicator, &v); err != nil {
			return nil, fmt.Errorf("metrics: reading m_values: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// Points is what one scheme item earns for a value: weight × min(1,
// value / target), the target prorated for the month when asked; a null
// value earns 0. For the province, submitted and on_time are counts of
// cities and enter as the share of all cities.
func Points(it SchemeItem, month time.Time, v *float64, province bool, cities int) float64 {
	if v == nil || math.IsNaN(*v) {
		return 0
	}
	x := *v
	if province && (it.Indicator == "on_time" || it.Indicator == "submitted") && cities > 0 {
		x /= float64(cities)
	}
	return it.Weight * math.Min(1, x/it.TargetIn(month))
}

// scoreAndRank adds score and rank to vals: a score for every city that
// submitted and for the province (when any city did), a rank for the
// cities. Scores sum in the scheme's order, so equal inputs give equal
// scores bit for bit.
func scoreAndRank(s *Scheme, month time.Time, book *spec.Book, vals map[valueKey]float64) {
	get := func(city, id string) *float64 {
		if v, ok := vals[valueKey{city, id}]; ok {
			return &v
		}
		return nil
	}
	score := func(city string, province bool) float64 {
		total := 0.0
		for _, it := range s.Items {
			total += Points(it, month, get(city, it.Indicator), province, len(book.Cities))
		}
		return total
	}
	type ranked struct {
		code     string
		score    float64
		coverage float64
		hasCov   bool
	}
	var rs []ranked
	for _, c := range book.Cities {
		if v := get(c.Code, "submitted"); v == nil || *v != 1 {
			continue
		}
		r := ranked{code: c.Code, score: score(c.Code, false)}
		if v := get(c.Code, "work_coverage"); v != nil {
			r.coverage, r.hasCov = *v, true
		}
		vals[valueKey{c.Code, IndicatorScore}] = r.score
		rs = append(rs, r)
	}
	if len(rs) > 0 {
		vals[valueKey{spec.ProvinceCode, IndicatorScore}] = score(spec.ProvinceCode, true)
	}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.hasCov != b.hasCov {
			return a.hasCov // a city without organizations (no coverage) after one with
		}
		if a.coverage != b.coverage {
			return a.coverage > b.coverage
		}
		return a.code < b.code
	})
	for i, r := range rs {
		vals[valueKey{r.code, IndicatorRank}] = float64(i + 1)
	}
}

// Compute computes every indicator of metrics.md for the month (reading the
// windows' months as they need), the score and the rank by the scheme (the
// default when nil), and stores them in indicator_values, replacing the
// month's earlier values, with a metric_runs row naming the scheme and the
// submissions used and the fingerprint of what it read (see Stale), all
// in one transaction.
func Compute(ctx context.Context, db *sql.DB, month string, scheme *Scheme) error {
	m, err := ParseMonth(month)
	if err != nil {
		return err
	}
	if scheme == nil {
		scheme = DefaultScheme()
	}
	book := spec.Load()
	defs := Definitions()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("metrics: begin: %w", err)
	}
	defer tx.Rollback()
	if err := prepare(ctx, tx, book, newWindow(m, scheme)); err != nil {
		return err
	}
	if err := evaluate(ctx, tx, defs); err != nil {
		return err
	}
	vals, err := readValues(ctx, tx)
	if err != nil {
		return err
	}
	scoreAndRank(scheme, m, book, vals)
	var cities, inds []string
	var nums []float64
	for k, v := range vals {
		if k.indicator == IndicatorScore || k.indicator == IndicatorRank {
			cities, inds, nums = append(cities, k.city), append(inds, k.indicator), append(nums, v)
		}
	}
	var ids []string
	for _, d := range defs {
		ids = append(ids, d.ID)
	}
	stmts := sqlfile.Split(storeSQL, sqlfile.Script)[1:]
	args := [][]any{
		{cities, inds, nums},     // score and rank into m_values
		{month},                  // delete the month's values
		{spec.ProvinceName, ids}, // insert the grid
		{month},                  // delete the month's run
		{time.Now().UTC(), scheme.Name, string(scheme.source)}, // record the run
	}
	if len(stmts) != len(args) {
		return fmt.Errorf("metrics: %s has %d statements, want %d", storeFile, len(stmts)+1, len(args)+1)
	}
	for i, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.SQL, args[i]...); err != nil {
			return fmt.Errorf("metrics: storing %s (%s:%d %s): %w", month, storeFile, st.Line, sqlfile.FirstLine(st.SQL), err)
		}
	}
	if err := storeFingerprint(ctx, tx, month); err != nil {
		return err
	}
	if err := dropTemp(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("metrics: commit %s: %w", month, err)
	}
	return nil
}

// fmtFloat writes a value at full precision without an exponent.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
