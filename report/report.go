package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"ufa/internal/atomicfile"
	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/queries"
)

// Sheet names that are not indicator groups.
const (
	SheetRanking = "排名"
	SheetStatus  = "报送情况"
)

// groupsWithoutSheet are the indicator groups shown elsewhere: score and
// rank on the ranking sheet, the submission indicators on the status
// sheet.
var groupsWithoutSheet = map[string]bool{"综合评价": true, "报送情况": true}

// ErrNotComputed: the month's indicators have not been computed.
var ErrNotComputed = metrics.ErrNotComputed

// beijing is the time zone the office reads times in.
var beijing = time.FixedZone("北京时间", 8*3600)

// WriteFile writes the month's report to path, through a temporary file
// in the same folder renamed at the end (a failure leaves no partial
// file).
func WriteFile(ctx context.Context, db *sql.DB, month, path string) error {
	err := atomicfile.Write(path, func(w io.Writer) error { return Write(ctx, db, month, w) })
	var ae *atomicfile.Error
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Op {
	case atomicfile.OpCreate:
		return fmt.Errorf("无法写出报告 %s：%w（请检查目录是否存在、是否可写）", path, ae.Err)
	case atomicfile.OpRename:
		return fmt.Errorf("无法写出报告 %s：%w", path, ae.Err)
	}
	return fmt.Errorf("写出报告 %s: %w", path, ae.Err)
}

// Write writes the month's report as xlsx to w.
func Write(ctx context.Context, db *sql.DB, month string, w io.Writer) error {
	f, err := Build(ctx, db, month)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Write(w); err != nil {
		return fmt.Errorf("写出报告: %w", err)
	}
	return nil
}

// data is what the report shows.
type data struct {
	month    string
	m        time.Time
	run      *metrics.Run
	book     *spec.Book
	defs     map[string]metrics.Definition
	order    []metrics.Definition
	val      map[string]map[string]*float64 // city code → indicator → value
	status   [][]any
	statusCo map[string]int // status column name → index
}

func (d *data) get(city, ind string) *float64 { return d.val[city][ind] }

// Build makes the month's report workbook. The month must have been
// computed (ufa metrics); otherwise the error wraps ErrNotComputed.
func Build(ctx context.Context, db *sql.DB, month string) (*excelize.File, error) {
	m, err := metrics.ParseMonth(month)
	if err != nil {
		return nil, err
	}
	run, err := metrics.LoadRun(ctx, db, month)
	if err != nil {
		return nil, fmt.Errorf("无法生成 %s 的报告：%w", month, err)
	}
	vals, err := metrics.Load(ctx, db, month)
	if err != nil {
		return nil, fmt.Errorf("无法生成 %s 的报告：%w", month, err)
	}
	d := &data{month: month, m: m, run: run, book: spec.Load(), defs: map[string]metrics.Definition{},
		val: map[string]map[string]*float64{}, order: metrics.Definitions()}
	for _, def := range d.order {
		d.defs[def.ID] = def
	}
	for _, v := range vals {
		if d.val[v.CityCode] == nil {
			d.val[v.CityCode] = map[string]*float64{}
		}
		d.val[v.CityCode][v.Indicator] = v.Value
	}
	if err := d.loadStatus(ctx, db); err != nil {
		return nil, err
	}

	f := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", SheetRanking); err != nil {
		return nil, err
	}
	if err := d.ranking(newSheet(f, st, SheetRanking)); err != nil {
		return nil, fmt.Errorf("报告的排名表: %w", err)
	}
	for _, g := range metrics.Groups() {
		if groupsWithoutSheet[g] {
			continue
		}
		if _, err := f.NewSheet(g); err != nil {
			return nil, err
		}
		if err := d.group(newSheet(f, st, g), g); err != nil {
			return nil, fmt.Errorf("报告的%s表: %w", g, err)
		}
	}
	if _, err := f.NewSheet(SheetStatus); err != nil {
		return nil, err
	}
	if err := d.statusSheet(newSheet(f, st, SheetStatus)); err != nil {
		return nil, fmt.Errorf("报告的报送情况表: %w", err)
	}
	f.SetActiveSheet(0)
	// Fixed document properties: the computation's time, never the clock,
	// so the same warehouse gives the same bytes.
	at := run.ComputedAt.UTC().Truncate(time.Second).Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    d.title("社会组织统战工作考核情况"),
		Subject:  "社会组织统战工作考核",
		Creator:  "ufa",
		Created:  at,
		Modified: at,
		Language: "zh-CN",
	}); err != nil {
		return nil, err
	}
	ok = true
	return f, nil
}

// monthText is 2026年3月.
func (d *data) monthText() string {
	return fmt.Sprintf("%d年%d月", d.m.Year(), int(d.m.Month()))
}

func (d *data) title(what string) string {
	return fmt.Sprintf("辽宁省%s（%s）", what, d.monthText())
}

// loadStatus runs the submissions named query.
func (d *data) loadStatus(ctx context.Context, db *sql.DB) error {
	q, ok := queries.Lookup("submissions")
	if !ok {
		return errors.New("report: no submissions query")
	}
	r := &queries.Runner{DB: db, Book: d.book}
	rows, err := r.Run(ctx, queries.Request{Query: &q, Args: map[string]string{"month": d.month}})
	if err != nil {
		return fmt.Errorf("读取报送情况: %w", err)
	}
	defer rows.Close()
	d.statusCo = map[string]int{}
	for i, c := range rows.Columns() {
		d.statusCo[c.Name] = i
	}
	for rows.Next() {
		d.status = append(d.status, append([]any(nil), rows.Values()...))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("读取报送情况: %w", err)
	}
	return nil
}

// cell is one value to write with its style kind and the text it shows
// (for the column width).
type cell struct {
	v    any
	kind string
	text string
}

func dash() cell { return cell{v: metrics.Null, kind: kindDash, text: metrics.Null} }

func text(s string) cell { return cell{v: s, kind: kindText, text: s} }

// indicatorCell is a value of an indicator as the report shows it.
func (d *data) indicatorCell(def metrics.Definition, city string, v *float64) cell {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return dash()
	}
	x := *v
	shown := metrics.Display(def, city, v)
	province := city == spec.ProvinceCode
	switch def.Unit {
	case metrics.UnitRate:
		return cell{x, kindPercent, shown}
	case metrics.UnitRatio:
		return cell{x, kindDec2, shown}
	case metrics.UnitScore:
		return cell{math.Round(x*100) / 100, kindDec2, shown}
	case metrics.UnitFlag:
		switch {
		case province && def.Province == metrics.ProvinceMean:
			return cell{x, kindPercent, shown}
		case province:
			return cell{x, kindCities, shown + "个市"}
		}
		return text(shown) // 是 / 否
	default:
		return cell{x, kindInt, shown}
	}
}

func (d *data) ranking(s *sheet) error {
	items := d.run.Scheme.Items
	ncols := 3 + 2*len(items)
	s.title(d.title("社会组织统战工作考核排名"), ncols)
	s.note(fmt.Sprintf("考核方案：%s。综合得分 = Σ 权重 × min(1, 指标值 ÷ 目标值)，指标值为空得 0 分；年度累计指标的目标按月折算。"+
		"按综合得分排名，得分相同时按党的工作覆盖率。未报送的市没有得分和排名。“—”表示无值。指标于 %s 计算。",
		d.run.Scheme.Name, d.run.ComputedAt.In(beijing).Format("2006-01-02 15:04")), ncols)
	// Two header rows: 排名, 城市, 综合得分 span both; each indicator spans
	// its 值 and 得分.
	for i, h := range []string{"排名", "城市", "综合得分"} {
		s.header(i+1, 3, 1, 2, h)
	}
	for i, it := range items {
		col := 4 + 2*i
		s.header(col, 3, 2, 1, fmt.Sprintf("%s（%s分）", d.defs[it.Indicator].Name, trimFloat(it.Weight)))
		s.header(col, 4, 1, 1, "值")
		s.header(col+1, 4, 1, 1, "得分")
	}
	row := 5
	line := func(code, name string, rank cell, province bool) {
		s.put(1, row, rank, province)
		s.put(2, row, text(name), province)
		s.put(3, row, d.indicatorCell(d.defs[metrics.IndicatorScore], code, d.get(code, metrics.IndicatorScore)), province)
		for i, it := range items {
			def := d.defs[it.Indicator]
			v := d.get(code, it.Indicator)
			s.put(4+2*i, row, d.indicatorCell(def, code, v), province)
			if d.get(code, metrics.IndicatorScore) == nil {
				s.put(5+2*i, row, dash(), province)
				continue
			}
			p := math.Round(metrics.Points(it, d.m, v, province, len(d.book.Cities))*100) / 100
			s.put(5+2*i, row, cell{p, kindDec2, fmt.Sprintf("%.2f", p)}, province)
		}
		row++
	}
	type ranked struct {
		rank float64
		city spec.City
	}
	var rs []ranked
	var missing []spec.City
	for _, c := range d.book.Cities {
		if r := d.get(c.Code, metrics.IndicatorRank); r != nil {
			rs = append(rs, ranked{*r, c})
		} else {
			missing = append(missing, c)
		}
	}
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].rank < rs[j-1].rank; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	for _, r := range rs {
		line(r.city.Code, r.city.Name, cell{r.rank, kindCount, trimFloat(r.rank)}, false)
	}
	for _, c := range missing {
		line(c.Code, c.Name, text("未报送"), false)
	}
	line(spec.ProvinceCode, spec.ProvinceName, dash(), true)
	return s.finish(3, 4, 2)
}

func (d *data) group(s *sheet, g string) error {
	var defs []metrics.Definition
	for _, def := range d.order {
		if def.Group == g {
			defs = append(defs, def)
		}
	}
	ncols := 1 + len(defs)
	s.title(d.title("社会组织统战工作考核指标："+g), ncols)
	s.note("“—”表示无值：该市本月没有被接收的工作簿，或分母为 0。"+
		"辽宁省一行按各市数据合并计算（社会组织按统一社会信用代码、人员按身份证号去重），不是各市数值的平均；"+
		"“近三个月”指本月和前两个月，“年度累计”指本年 1 月至本月。", ncols)
	s.header(1, 3, 1, 1, "城市")
	for i, def := range defs {
		s.header(i+2, 3, 1, 1, def.Name)
	}
	row := 4
	places := append([]spec.City(nil), d.book.Cities...)
	places = append(places, spec.City{Code: spec.ProvinceCode, Name: spec.ProvinceName})
	for _, c := range places {
		province := c.Code == spec.ProvinceCode
		s.put(1, row, text(c.Name), province)
		for i, def := range defs {
			s.put(i+2, row, d.indicatorCell(def, c.Code, d.get(c.Code, def.ID)), province)
		}
		row++
	}
	return s.finish(3, 3, 1)
}

// statusColumns are the columns of the status sheet: the header and the
// submissions query's column.
var statusColumns = []struct{ header, col string }{
	{"城市", "城市"},
	{"是否报送", "已报送"},
	{"填报日期", "填报日期"},
	{"是否按时", "按时报送"},
	{"报送次数", "报送次数"},
	{"最近一次错误数", "最近一次错误数"},
	{"最近一次结果", "最近一次结果"},
	{"填报人", "填报人"},
	{"联系电话", "联系电话"},
	{"最近一次报送的文件", "最近一次文件"},
}

func (d *data) statusSheet(s *sheet) error {
	ncols := len(statusColumns)
	s.title(d.title("社会组织统战工作报送情况"), ncols)
	deadline := d.run.Scheme.Deadline(d.m)
	s.note(fmt.Sprintf("报送截止日期：%d年%d月%d日（考核方案“%s”）。是否按时以第一份被接收工作簿的填报日期判断，填报日期也是这一份的；"+
		"报送次数含被拒收的，不含重复发送的同一文件；报送的先后按填报日期（同日按文件名）；填报人、联系电话取自现行有效的工作簿。",
		deadline.Year(), int(deadline.Month()), deadline.Day(), d.run.Scheme.Name), ncols)
	for i, c := range statusColumns {
		s.header(i+1, 3, 1, 1, c.header)
		if _, ok := d.statusCo[c.col]; !ok {
			return fmt.Errorf("the submissions query has no column %s", c.col)
		}
	}
	row := 4
	for _, r := range d.status {
		for i, c := range statusColumns {
			s.put(i+1, row, statusCell(r[d.statusCo[c.col]]), false)
		}
		row++
	}
	p := spec.ProvinceCode
	count := func(id string) cell {
		c := d.indicatorCell(d.defs[id], p, d.get(p, id))
		if c.kind == kindInt {
			c.kind = kindCount
		}
		return c
	}
	province := []cell{text(spec.ProvinceName), count("submitted"), text(""), count("on_time"),
		count("submission_count"), count("error_count"), text(""), text(""), text(""), text("")}
	for i, c := range province {
		s.put(i+1, row, c, true)
	}
	return s.finish(3, 3, 1)
}

// statusCell shows a value of the submissions query.
func statusCell(v any) cell {
	switch x := v.(type) {
	case nil:
		return dash()
	case bool:
		if x {
			return text("是")
		}
		return text("否")
	case int64:
		return cell{x, kindCount, fmt.Sprint(x)}
	case float64:
		return cell{x, kindCount, trimFloat(x)}
	case time.Time:
		return cell{x, kindDate, "2006-01-02"}
	case string:
		return text(x)
	}
	return text(fmt.Sprint(v))
}

func trimFloat(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
