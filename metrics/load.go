package metrics

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"ufa/internal/spec"
)

// Value is one stored indicator value; Value is nil for null.
type Value struct {
	Month     string
	CityCode  string // a city's code, or 210000 for the province
	CityName  string
	Indicator string
	Value     *float64
}

// ErrNotComputed: the month has no stored values.
var ErrNotComputed = errors.New("该月尚未计算指标")

// NotComputedError is ErrNotComputed for one month; For names what
// needed the values ("" for the month's values as such). The command
// line adds which command computes them.
type NotComputedError struct {
	Month string
	For   string
}

func (e *NotComputedError) Error() string { return fmt.Sprintf("%v（%s）", ErrNotComputed, e.Month) }
func (e *NotComputedError) Unwrap() error { return ErrNotComputed }

// UnknownIndicatorError: an indicator id this program does not define.
// The command line adds where the ids are listed.
type UnknownIndicatorError struct{ ID string }

func (e *UnknownIndicatorError) Error() string { return fmt.Sprintf("不认识的指标 %q", e.ID) }

// Load returns the stored values of a month: the province first, then the
// cities in code order, each with its indicators in the order of
// Definitions (indicators this program no longer defines last, by id).
// A month never computed gives ErrNotComputed.
func Load(ctx context.Context, db *sql.DB, month string) ([]Value, error) {
	if _, err := ParseMonth(month); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT month, city_code, city_name, indicator, value FROM indicator_values WHERE month = ?`, month)
	if err != nil {
		if isMissingTable(err) {
			return nil, &NotComputedError{Month: month}
		}
		return nil, fmt.Errorf("metrics: loading %s: %w", month, err)
	}
	defer rows.Close()
	var out []Value
	for rows.Next() {
		var v Value
		var x sql.NullFloat64
		if err := rows.Scan(&v.Month, &v.CityCode, &v.CityName, &v.Indicator, &x); err != nil {
			return nil, fmt.Errorf("metrics: loading %s: %w", month, err)
		}
		if x.Valid {
			f := x.Float64
			v.Value = &f
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("metrics: loading %s: %w", month, err)
	}
	if len(out) == 0 {
		return nil, &NotComputedError{Month: month}
	}
	SortValues(out)
	return out, nil
}

// SortValues puts values in output order: by month, the province first,
// then cities by code, then indicators in the order of Definitions.
func SortValues(vs []Value) {
	order := map[string]int{}
	for i, d := range Definitions() {
		order[d.ID] = i
	}
	pos := func(id string) int {
		if i, ok := order[id]; ok {
			return i
		}
		return len(order)
	}
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		if a.CityCode != b.CityCode {
			if a.CityCode == spec.ProvinceCode || b.CityCode == spec.ProvinceCode {
				return a.CityCode == spec.ProvinceCode
			}
			return a.CityCode < b.CityCode
		}
		if pa, pb := pos(a.Indicator), pos(b.Indicator); pa != pb {
			return pa < pb
		}
		return a.Indicator < b.Indicator
	})
}

// Run is the record of a month's computation.
type Run struct {
	Month         string
	ComputedAt    time.Time
	Scheme        *Scheme
	SubmissionIDs []string // the workbooks (submissions.id) the values came from
}

// LoadRun returns the record of the month's latest computation, or
// ErrNotComputed.
func LoadRun(ctx context.Context, db *sql.DB, month string) (*Run, error) {
	var r Run
	var name, yamlText, ids string
	err := db.QueryRowContext(ctx, `SELECT month, computed_at, scheme_name, scheme_yaml, submission_ids FROM metric_runs WHERE month = ? ORDER BY computed_at DESC LIMIT 1`, month).
		Scan(&r.Month, &r.ComputedAt, &name, &yamlText, &ids)
	if errors.Is(err, sql.ErrNoRows) || (err != nil && isMissingTable(err)) {
		return nil, &NotComputedError{Month: month}
	}
	if err != nil {
		return nil, fmt.Errorf("metrics: reading the run of %s: %w", month, err)
	}
	s, err := ParseScheme([]byte(yamlText))
	if err != nil {
		return nil, fmt.Errorf("metrics: the scheme stored for %s: %w", month, err)
	}
	r.Scheme = s
	if ids != "" {
		r.SubmissionIDs = strings.Split(ids, ",")
	}
	return &r, nil
}

func isMissingTable(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "does not exist") && strings.Contains(msg, "Table")
}
