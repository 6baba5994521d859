package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"ufa/internal/sqlval"

	"ufa/internal/spec"
)

// Explanation is the drill-down of one value: its numerator and
// denominator and the warehouse rows behind them, so that a city that
// disputes a figure or its rank can be shown why.
type Explanation struct {
	Month      string
	CityCode   string // a city's code or 210000
	CityName   string
	Definition Definition
	// Value, Numerator and Denominator as the warehouse gives them now.
	// Denominator is nil for an indicator that is not a ratio; Value is nil
	// when the city has no value (no accepted workbook, a zero
	// denominator).
	Value, Numerator, Denominator *float64
	// Stored is the value the last ufa metrics stored for the month (nil
	// when none); it differs from Value when workbooks arrived since.
	Stored   *float64
	Computed bool // the month has stored values at all
	Sets     []RowSet
	Notes    []string // in Chinese, for people
}

// RowSet is a list of rows behind a value: a title saying what they are
// (分子, 分母, ...), column names, and rows of string, int64, float64,
// bool, time.Time or nil.
type RowSet struct {
	Title   string
	Columns []string
	Rows    [][]any
}

// Explain computes one indicator of one city (or the province, 210000) for
// a month from the warehouse as it is now, with the rows behind it. score
// and rank are explained from the stored values of the month: the points
// of each scheme item, and the ranking. city may be a code or a name.
func Explain(ctx context.Context, db *sql.DB, month, city, indicator string) (*Explanation, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return nil, err
	}
	book := spec.Load()
	code, name, ok := resolvePlace(book, city)
	if !ok {
		return nil, fmt.Errorf("不认识的城市 %q：请给出城市名称（如 沈阳市）或6位代码（如 210100），全省为 210000", city)
	}
	d, ok := Lookup(indicator)
	if !ok {
		return nil, &UnknownIndicatorError{ID: indicator}
	}
	e := &Explanation{Month: month, CityCode: code, CityName: name, Definition: d}
	run, err := LoadRun(ctx, db, month)
	switch {
	case err == nil:
		e.Computed = true
	case errors.Is(err, ErrNotComputed):
	default:
		return nil, err
	}
	var stored []Value
	if e.Computed {
		if stored, err = Load(ctx, db, month); err != nil && !errors.Is(err, ErrNotComputed) {
			return nil, err
		}
		for _, v := range stored {
			if v.CityCode == code && v.Indicator == d.ID {
				e.Stored = v.Value
			}
		}
	}
	if !d.Scored() {
		if !e.Computed {
			return nil, &NotComputedError{Month: month, For: d.Name}
		}
		e.Value = e.Stored
		explainScheme(e, run, stored, book)
		return e, nil
	}
	scheme := DefaultScheme()
	if run != nil {
		scheme = run.Scheme
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("metrics: begin: %w", err)
	}
	// Everything Explain makes is temporary: the transaction is rolled back.
	defer tx.Rollback()
	if err := prepare(ctx, tx, book, newWindow(m, scheme)); err != nil {
		return nil, err
	}
	var num, den sql.NullFloat64
	err = tx.QueryRowContext(ctx, "SELECT v.num::DOUBLE, v.den::DOUBLE FROM (\n"+d.value+"\n) v WHERE v.city_code = ?", code).Scan(&num, &den)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		e.Notes = append(e.Notes, noValueNote(code, d))
	case err != nil:
		return nil, fmt.Errorf("metrics: explaining %s: %w", d.ID, err)
	default:
		e.Numerator = ptr(num)
		if d.IsRatio() {
			e.Denominator = ptr(den)
			if num.Valid && den.Valid && den.Float64 != 0 {
				v := d.Scale * num.Float64 / den.Float64
				e.Value = &v
			} else {
				e.Notes = append(e.Notes, "分母为 0，指标值为空")
			}
		} else {
			e.Value = e.Numerator
		}
	}
	for _, rq := range d.rows {
		args := make([]any, strings.Count(rq.sql, "?"))
		for i := range args {
			args[i] = code
		}
		set, err := queryRows(ctx, tx, rq.title, rq.sql, args...)
		if err != nil {
			return nil, fmt.Errorf("metrics: rows of %s (%s): %w", d.ID, rq.title, err)
		}
		e.Sets = append(e.Sets, set)
	}
	if e.Computed && !sameValue(e.Stored, e.Value) {
		e.Notes = append(e.Notes, fmt.Sprintf("数据库中已存储的值与现在算得的不同（之后有新的工作簿导入）；请重新运行 ufa metrics --month %s", month))
	}
	return e, nil
}

func noValueNote(code string, d Definition) string {
	switch {
	case code == spec.ProvinceCode:
		return "本月没有任何城市被接收的工作簿，全省没有该指标的值"
	case d.ID == "rep_entries" || d.ID == "rep_exits":
		return "本月或上月没有该市被接收的工作簿，无法比较名单，指标值为空"
	default:
		return "该市本月没有被接收的工作簿，指标值为空"
	}
}

// explainScheme explains score (the points of each scheme item) and rank
// (the ranking) from the stored values.
func explainScheme(e *Explanation, run *Run, stored []Value, book *spec.Book) {
	val := map[valueKey]*float64{}
	for _, v := range stored {
		val[valueKey{v.CityCode, v.Indicator}] = v.Value
	}
	m, _ := ParseMonth(e.Month)
	province := e.CityCode == spec.ProvinceCode
	if e.Definition.ID == IndicatorScore {
		set := RowSet{Title: "考核方案“" + run.Scheme.Name + "”各项得分（得分 = 权重 × min(1, 指标值 ÷ 目标值)，指标值为空得 0 分）",
			Columns: []string{"指标编号", "指标", "指标值", "目标值", "权重", "得分"}}
		for _, it := range run.Scheme.Items {
			d, _ := Lookup(it.Indicator)
			v := val[valueKey{e.CityCode, it.Indicator}]
			var shown any
			if v != nil {
				shown = *v
				if province && (it.Indicator == "on_time" || it.Indicator == "submitted") {
					shown = *v / float64(len(book.Cities))
				}
			}
			set.Rows = append(set.Rows, []any{it.Indicator, d.Name, shown, it.TargetIn(m), it.Weight,
				Points(it, m, v, province, len(book.Cities))})
		}
		e.Sets = append(e.Sets, set)
		if province {
			e.Notes = append(e.Notes, "全省得分按全省自身的指标值计算，其中按时报送按14个市中按时报送的比例计")
		}
		if e.Value == nil {
			e.Notes = append(e.Notes, "该市本月没有被接收的工作簿，没有得分")
		}
		return
	}
	set := RowSet{Title: "排名（按综合得分从高到低；得分相同时按党的工作覆盖率从高到低，再按城市代码）",
		Columns: []string{"排名", "城市代码", "城市", "综合得分", "党的工作覆盖率"}}
	type row struct {
		rank float64
		r    []any
	}
	var rs []row
	for _, c := range book.Cities {
		rk := val[valueKey{c.Code, IndicatorRank}]
		if rk == nil {
			continue
		}
		rs = append(rs, row{*rk, []any{*rk, c.Code, c.Name, deref(val[valueKey{c.Code, IndicatorScore}]), deref(val[valueKey{c.Code, "work_coverage"}])}})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].rank < rs[j].rank })
	for _, r := range rs {
		set.Rows = append(set.Rows, r.r)
	}
	e.Sets = append(e.Sets, set)
	switch {
	case province:
		e.Notes = append(e.Notes, "全省没有排名")
	case e.Value == nil:
		e.Notes = append(e.Notes, "该市本月没有被接收的工作簿，不参加排名")
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func ptr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

func sameValue(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// resolvePlace accepts a city's code or name, or the province.
func resolvePlace(book *spec.Book, s string) (code, name string, ok bool) {
	s = strings.TrimSpace(s)
	switch s {
	case spec.ProvinceCode, spec.ProvinceName, "全省", "辽宁":
		return spec.ProvinceCode, spec.ProvinceName, true
	}
	c, ok := book.City(s)
	return c.Code, c.Name, ok
}

// queryRows runs a query into a RowSet, values made plain.
func queryRows(ctx context.Context, q querier, title, query string, args ...any) (RowSet, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return RowSet{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return RowSet{}, err
	}
	set := RowSet{Title: title, Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return RowSet{}, err
		}
		for i, v := range vals {
			vals[i] = sqlval.Plain(v)
		}
		set.Rows = append(set.Rows, vals)
	}
	return set, rows.Err()
}
