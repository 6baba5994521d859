package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"ufa/internal/atomicfile"
	"ufa/internal/spec"
	"ufa/internal/sqlval"
	"ufa/metrics"
)

// Column is a result column: its name and DuckDB type ("" when the rows
// do not come from DuckDB).
type Column struct {
	Name string
	Type string
	// Unit is UnitRate for a rate column of a named query (see
	// RateSuffix), "" otherwise.
	Unit string
}

// UnitRate marks a column of fractions shown as percentages.
const UnitRate = "rate"

// Rows is a result being read: Next advances, Values gives the current
// row as plain Go values (nil, string, int64, float64, bool, time.Time,
// or for nested DuckDB types []any and map[string]any).
type Rows interface {
	Columns() []Column
	Next() bool
	Values() []any
	Err() error
	Close() error
	// Notes are remarks for people about the result (Chinese), such as
	// the title of a drill-down's row set; nil for plain SQL.
	Notes() []string
}

// Request is what to run: a named query with its arguments, or a free
// read-only SQL statement.
type Request struct {
	Query *Query
	Args  map[string]string // named query arguments as given (--param k=v)
	SQL   string            // a free statement when Query is nil
}

// Runner runs requests against a warehouse.
type Runner struct {
	DB   *sql.DB
	Book *spec.Book // spec.Load() when nil
	// Seal, when set, closes the database in (see Seal) before free SQL
	// runs; named queries, written by ufa's authors, run without it.
	Seal   *Seal
	sealed bool
}

// seal applies r.Seal once, with extra files ufa writes for the query.
func (r *Runner) seal(ctx context.Context, extra ...string) error {
	if r.Seal == nil || r.sealed {
		return nil
	}
	if err := r.Seal.Apply(ctx, r.DB, extra...); err != nil {
		return err
	}
	r.sealed = true
	return nil
}

func (r *Runner) book() *spec.Book {
	if r.Book == nil {
		r.Book = spec.Load()
	}
	return r.Book
}

var monthRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// Bind checks a named query's arguments against its parameters and
// returns the values to bind, by parameter name: defaults filled in,
// month, city, indicator and set checked and normalised (see doc.go).
func (r *Runner) Bind(q *Query, args map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for k := range args {
		if _, ok := q.Param(k); !ok {
			var names []string
			for _, p := range q.Params {
				names = append(names, p.Name)
			}
			if len(names) == 0 {
				return nil, requestf("查询 %s 没有参数，不能给 --param %s", q.Name, k)
			}
			return nil, requestf("查询 %s 没有参数 %q：它的参数是 %s（见 ufa query --list）", q.Name, k, strings.Join(names, "、"))
		}
	}
	for _, p := range q.Params {
		v, given := args[p.Name]
		v = strings.TrimSpace(v)
		if !given || v == "" {
			if p.Required {
				return nil, requestf("查询 %s 缺少参数 %s（%s）：请加上 --param %s=…", q.Name, p.Name, p.Doc, p.Name)
			}
			v = p.Default
		}
		if p.Choices != nil && !contains(p.Choices, v) {
			return nil, requestf("参数 %s 只能是 %s 之一，而不是 %q", p.Name, strings.Join(p.Choices, "、"), v)
		}
		switch p.Name {
		case "month":
			if !monthRE.MatchString(v) {
				return nil, requestf("参数 month 应为 YYYY-MM 形式的月份，例如 2026-10，而不是 %q", v)
			}
		case "city":
			switch v {
			case "全省", spec.ProvinceName, "辽宁", spec.ProvinceCode:
				v = spec.ProvinceCode
			default:
				c, ok := r.book().City(v)
				if !ok {
					return nil, requestf("不认识的城市 %q：请给出城市名称（如 沈阳市）或6位代码（如 210100），全省为 全省 或 210000", v)
				}
				v = c.Code
			}
		case "indicator":
			if _, ok := metrics.Lookup(v); !ok {
				return nil, requestf("不认识的指标 %q：指标编号见 ufa metrics --list", v)
			}
		case "set":
			if n, err := strconv.Atoi(v); err != nil || n < 1 {
				return nil, requestf("参数 set 应为从 1 起的整数，而不是 %q", v)
			}
		}
		out[p.Name] = v
	}
	return out, nil
}

// Run runs a request and returns its rows, which the caller closes.
func (r *Runner) Run(ctx context.Context, req Request) (Rows, error) {
	if req.Query == nil {
		stmt, err := CheckReadOnly(ctx, r.DB, req.SQL)
		if err != nil {
			return nil, err
		}
		if err := r.seal(ctx); err != nil {
			return nil, err
		}
		return r.query(ctx, stmt)
	}
	q := req.Query
	vals, err := r.Bind(q, req.Args)
	if err != nil {
		return nil, err
	}
	if err := r.needs(ctx, q, vals); err != nil {
		return nil, err
	}
	if q.Explain {
		return r.explain(ctx, vals)
	}
	rows, err := r.query(ctx, q.SQL, namedArgs(q, vals)...)
	if err != nil {
		return nil, err
	}
	markRates(rows.Columns())
	return rows, nil
}

// RateSuffix ends the name of a named query's column that holds a rate:
// a fraction (0.634) that table shows as 63.4% and xlsx as a number
// formatted 0.0%; csv, json and parquet keep the fraction.
const RateSuffix = "率"

// markRates marks the rate columns of a named query's result.
func markRates(cols []Column) {
	for i := range cols {
		if strings.HasSuffix(cols[i].Name, RateSuffix) {
			cols[i].Unit = UnitRate
		}
	}
}

// needs checks that the month a query reads has been computed.
func (r *Runner) needs(ctx context.Context, q *Query, vals map[string]string) error {
	if !q.NeedsMetrics {
		return nil
	}
	if _, err := metrics.LoadRun(ctx, r.DB, vals["month"]); err != nil {
		if errors.Is(err, metrics.ErrNotComputed) {
			return &RequestError{Msg: fmt.Sprintf("查询 %s 读取已计算的指标，但%v", q.Name, err), Err: err}
		}
		return err
	}
	return nil
}

func namedArgs(q *Query, vals map[string]string) []any {
	var args []any
	for _, p := range q.Params {
		args = append(args, sql.Named(p.Name, vals[p.Name]))
	}
	return args
}

func (r *Runner) query(ctx context.Context, stmt string, args ...any) (Rows, error) {
	rows, err := r.DB.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, queryError(err)
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		rows.Close()
		return nil, queryError(err)
	}
	cols := make([]Column, len(types))
	for i, t := range types {
		cols[i] = Column{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	return &sqlRows{rows: rows, cols: cols, vals: make([]any, len(cols)), ptrs: make([]any, len(cols))}, nil
}

// queryError words DuckDB's refusals of the read-only warehouse for
// people; other errors pass through with where they came from.
func queryError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "read-only mode"):
		return requestf("数据库以只读方式打开，不能修改：%v。%s", err, readOnlyHint)
	case strings.Contains(msg, "disabled by configuration"), strings.Contains(msg, "disabled through configuration"):
		return requestf("查询不能读写文件、访问网络或加载扩展（%s）。只查询数据库中的表；确需读取本机的文件时，用 --allow-files 给出那个文件或文件夹（密钥文件除外）", firstLine(msg))
	case strings.Contains(msg, "configuration has been locked"):
		return requestf("查询不能修改数据库的设置（%s）", firstLine(msg))
	}
	return fmt.Errorf("执行查询: %w", err)
}

type sqlRows struct {
	rows       *sql.Rows
	cols       []Column
	vals, ptrs []any
	err        error
}

func (s *sqlRows) Columns() []Column { return s.cols }
func (s *sqlRows) Notes() []string   { return nil }
func (s *sqlRows) Values() []any     { return s.vals }
func (s *sqlRows) Close() error      { return s.rows.Close() }

func (s *sqlRows) Err() error {
	if s.err != nil {
		return s.err
	}
	if err := s.rows.Err(); err != nil {
		return queryError(err)
	}
	return nil
}

func (s *sqlRows) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	for i := range s.vals {
		s.vals[i] = nil
		s.ptrs[i] = &s.vals[i]
	}
	if err := s.rows.Scan(s.ptrs...); err != nil {
		s.err = fmt.Errorf("读取查询结果: %w", err)
		return false
	}
	for i, v := range s.vals {
		s.vals[i] = sqlval.Plain(v)
	}
	return true
}

// explain runs the drill-down: one row set of metrics.Explain.
func (r *Runner) explain(ctx context.Context, vals map[string]string) (Rows, error) {
	e, err := metrics.Explain(ctx, r.DB, vals["month"], vals["city"], vals["indicator"])
	if errors.Is(err, metrics.ErrNotComputed) {
		return nil, &RequestError{Msg: err.Error(), Err: err}
	}
	if err != nil {
		return nil, err
	}
	set, _ := strconv.Atoi(vals["set"])
	d := e.Definition
	notes := []string{fmt.Sprintf("%s %s %s（%s）：%s", e.Month, e.CityName, d.Name, d.ID, metrics.Display(d, e.CityCode, e.Value))}
	notes = append(notes, e.Notes...)
	if len(e.Sets) == 0 {
		return &memRows{notes: append(notes, "该指标没有可列出的数据行")}, nil
	}
	if set > len(e.Sets) {
		return nil, requestf("指标 %s 只有 %d 组数据行，set 应在 1 到 %d 之间", d.ID, len(e.Sets), len(e.Sets))
	}
	s := e.Sets[set-1]
	notes = append(notes, fmt.Sprintf("第 %d 组（共 %d 组）：%s", set, len(e.Sets), s.Title))
	m := &memRows{notes: notes, pos: -1}
	for _, c := range s.Columns {
		m.cols = append(m.cols, Column{Name: c})
	}
	for _, row := range s.Rows {
		vs := make([]any, len(row))
		for i, v := range row {
			vs[i] = sqlval.Plain(v)
		}
		m.rows = append(m.rows, vs)
	}
	return m, nil
}

// memRows is a result held in memory.
type memRows struct {
	cols  []Column
	rows  [][]any
	pos   int
	notes []string
}

func (m *memRows) Columns() []Column { return m.cols }
func (m *memRows) Notes() []string   { return m.notes }
func (m *memRows) Err() error        { return nil }
func (m *memRows) Close() error      { return nil }
func (m *memRows) Values() []any     { return m.rows[m.pos] }
func (m *memRows) Next() bool {
	if m.pos+1 >= len(m.rows) {
		return false
	}
	m.pos++
	return true
}

// The statements that write Parquet: DuckDB's COPY of the query, the path
// bound like any value. A drill-down's rows (held in memory) go through a
// JSON file that DuckDB reads back.
const (
	copyOpen  = "COPY (\n"
	copyClose = "\n) TO $ufa_out (FORMAT parquet, USE_TMP_FILE false)"
	copyJSON  = "COPY (SELECT * FROM read_json($ufa_in, format = 'array')) TO $ufa_out (FORMAT parquet)"
	copyEmpty = "COPY (SELECT * FROM read_json($ufa_in, format = 'array') LIMIT 0) TO $ufa_out (FORMAT parquet)"
)

// Parquet writes the result of a request to path as a Parquet file by
// DuckDB's COPY, through a temporary file in the same folder renamed at
// the end, so a failed query leaves no partial file.
func (r *Runner) Parquet(ctx context.Context, req Request, path string) error {
	// DuckDB writes the temporary file by its name.
	err := atomicfile.WriteWith(path, atomicfile.Options{}, func(f *os.File) error { return r.parquet(ctx, req, f.Name()) })
	if ae := (*atomicfile.Error)(nil); errors.As(err, &ae) {
		if ae.Op == atomicfile.OpCreate {
			return &FolderError{Dir: filepath.Dir(path), Err: ae.Err}
		}
		return fmt.Errorf("无法写出 %s：%w", path, ae.Err)
	}
	return err
}

func (r *Runner) parquet(ctx context.Context, req Request, out string) error {
	var stmt string
	var args []any
	if req.Query == nil {
		s, err := CheckReadOnly(ctx, r.DB, req.SQL)
		if err != nil {
			return err
		}
		if err := r.seal(ctx, out); err != nil {
			return err
		}
		stmt = s
	} else {
		q := req.Query
		vals, err := r.Bind(q, req.Args)
		if err != nil {
			return err
		}
		if err := r.needs(ctx, q, vals); err != nil {
			return err
		}
		if q.Explain {
			return r.parquetExplain(ctx, vals, out)
		}
		stmt, args = q.SQL, namedArgs(q, vals)
	}
	args = append(args, sql.Named("ufa_out", out))
	// The query's text goes inside COPY ( ... ): the statement was checked
	// (free SQL) or is one of the embedded files; values stay bound.
	if _, err := r.DB.ExecContext(ctx, copyOpen+stmt+copyClose, args...); err != nil {
		return queryError(err)
	}
	return nil
}

func (r *Runner) parquetExplain(ctx context.Context, vals map[string]string, out string) error {
	rows, err := r.explain(ctx, vals)
	if err != nil {
		return err
	}
	defer rows.Close()
	m := rows.(*memRows)
	if len(m.cols) == 0 {
		return requestf("该指标没有可列出的数据行，未写出 Parquet 文件")
	}
	in, err := tempBeside(out + ".json")
	if err != nil {
		return err
	}
	defer os.Remove(in)
	f, err := os.Create(in)
	if err != nil {
		return err
	}
	stmt := copyJSON
	var src Rows = m
	if len(m.rows) == 0 {
		// One row of nulls gives DuckDB the columns; LIMIT 0 drops it.
		src = &memRows{cols: m.cols, rows: [][]any{make([]any, len(m.cols))}, pos: -1}
		stmt = copyEmpty
	}
	if err := writeJSON(f, src); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := r.DB.ExecContext(ctx, stmt, sql.Named("ufa_in", in), sql.Named("ufa_out", out)); err != nil {
		return queryError(err)
	}
	return nil
}

// FolderError: no file can be written in the folder of the output. The
// command line adds which flag named it.
type FolderError struct {
	Dir string
	Err error
}

func (e *FolderError) Error() string { return fmt.Sprintf("无法在 %s 写文件：%v", e.Dir, e.Err) }
func (e *FolderError) Unwrap() error { return e.Err }

// tempBeside names a temporary file in path's folder (checking that the
// folder is writable by creating it).
func tempBeside(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", &FolderError{Dir: filepath.Dir(path), Err: err}
	}
	name := f.Name()
	f.Close()
	return name, nil
}

// firstLine is DuckDB's message without the caret lines under it.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
