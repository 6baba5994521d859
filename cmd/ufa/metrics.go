//go:build cgo

package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"ufa/internal/textgrid"

	"ufa/internal/spec"
	"ufa/metrics"
)

const metricsUsage = "metrics [--db 数据库] --month YYYY-MM [--scheme 方案.yaml] [--format table|csv|json]\n" +
	"       ufa metrics [--db 数据库] --month YYYY-MM --explain 指标 --city 市 [--format table|json]\n" +
	"       ufa metrics --list | --show-scheme [--scheme 方案.yaml]"

// runMetrics computes the month's indicators, score and rank, stores them
// in the warehouse and prints them; with --explain it shows the numerator,
// denominator and rows behind one value instead (read-only).
func runMetrics(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "metrics", metricsUsage)
	db := addWarehouseFlags(fs, whRead).db
	month := fs.String("month", "", "报送月份 YYYY-MM（必填）")
	schemeFile := addSchemeFlag(fs, "--show-scheme")
	format := fs.String("format", "table", "输出格式：table（中文表格）、csv 或 json（长表，每行一个值）")
	explain := fs.String("explain", "", "不重新计算，只说明一个指标的分子、分母和所依据的数据行（与 --city 一起用）")
	city := fs.String("city", "", "与 --explain 一起用：市名或6位代码，全省为 210000")
	list := fs.Bool("list", false, "列出全部指标的编号、名称和单位")
	showScheme := fs.Bool("show-scheme", false, "打印考核方案（默认方案或 --scheme 给出的），可复制后修改")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("多余的参数 %q", fs.Arg(0))
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return usagef("--format 只能是 table、csv 或 json，而不是 %q", *format)
	}
	if *list {
		return printDefinitions(a.stdout, *format)
	}
	scheme, err := schemeFile.load()
	if err != nil {
		return err
	}
	if scheme == nil {
		scheme = metrics.DefaultScheme()
	}
	if *showScheme {
		_, err := a.stdout.Write(scheme.YAML())
		return err
	}
	if *month == "" {
		return usagef("缺少 --month YYYY-MM：请指定要计算的报送月份")
	}
	if _, err := metrics.ParseMonth(*month); err != nil {
		return usagef("%v", err)
	}
	if (*explain == "") != (*city == "") {
		return usagef("--explain 与 --city 要一起给出，例如 --explain work_coverage --city 沈阳市")
	}
	if *explain != "" {
		if *format == "csv" {
			return usagef("--explain 只支持 --format table 或 json")
		}
		if schemeFile.File() != "" {
			return usagef("--explain 使用该月计算时的考核方案，不接受 --scheme")
		}
		return explainMetric(ctx, a, *db, *month, *city, *explain, *format)
	}
	w, err := openWarehouse(ctx, a, *db, false)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := metrics.Compute(ctx, w.DB(), *month, scheme); err != nil {
		return err
	}
	vals, err := metrics.Load(ctx, w.DB(), *month)
	if err != nil {
		return err
	}
	switch *format {
	case "csv":
		return writeValuesCSV(a.stdout, vals)
	case "json":
		return writeValuesJSON(a.stdout, vals)
	}
	return writeValuesTable(a.stdout, a.book, *month, scheme, vals)
}

func explainMetric(ctx context.Context, a *app, db, month, city, indicator, format string) error {
	if _, ok := metrics.Lookup(indicator); !ok {
		return usagef("不认识的指标 %q：可用的指标编号见 ufa metrics --list", indicator)
	}
	w, err := openCurrent(ctx, a, db, month)
	if err != nil {
		return err
	}
	defer w.Close()
	e, err := metrics.Explain(ctx, w.DB(), month, city, indicator)
	if err != nil {
		// Not computed yet is no bad invocation: the message says what
		// to run, without the --help hint.
		return err
	}
	if format == "json" {
		return writeExplainJSON(a.stdout, e)
	}
	return writeExplainText(a.stdout, e)
}

// writeValuesCSV writes the long form of metrics.md.
func writeValuesCSV(w io.Writer, vals []metrics.Value) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"month", "city_code", "city_name", "indicator", "value"})
	for _, v := range vals {
		cw.Write([]string{v.Month, v.CityCode, v.CityName, v.Indicator, metrics.Machine(v.Value)})
	}
	cw.Flush()
	return cw.Error()
}

// writeValuesJSON writes the long form as one JSON object per line (like
// validate --json), value null for null.
func writeValuesJSON(w io.Writer, vals []metrics.Value) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, v := range vals {
		var x any
		if s := metrics.Machine(v.Value); s != "" {
			x = json.Number(s)
		}
		if err := enc.Encode(struct {
			Month     string `json:"month"`
			CityCode  string `json:"city_code"`
			CityName  string `json:"city_name"`
			Indicator string `json:"indicator"`
			Value     any    `json:"value"`
		}{v.Month, v.CityCode, v.CityName, v.Indicator, x}); err != nil {
			return err
		}
	}
	return nil
}

// writeValuesTable prints the month for people: the ranking, then one
// table per indicator group with the indicators as rows and the province
// and the cities as columns.
func writeValuesTable(w io.Writer, book *spec.Book, month string, scheme *metrics.Scheme, vals []metrics.Value) error {
	type key struct{ city, ind string }
	val := map[key]*float64{}
	for _, v := range vals {
		val[key{v.CityCode, v.Indicator}] = v.Value
	}
	defs := metrics.Definitions()
	byID := map[string]metrics.Definition{}
	for _, d := range defs {
		byID[d.ID] = d
	}
	show := func(city, ind string) string { return metrics.Display(byID[ind], city, val[key{city, ind}]) }
	fmt.Fprintf(w, "%s 社会组织统战工作考核指标（考核方案：%s）\n\n", month, scheme.Name)

	type ranked struct {
		rank float64
		city spec.City
	}
	var rs []ranked
	var missing []string
	for _, c := range book.Cities {
		if r := val[key{c.Code, metrics.IndicatorRank}]; r != nil {
			rs = append(rs, ranked{*r, c})
		} else {
			missing = append(missing, c.Name)
		}
	}
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].rank < rs[j-1].rank; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	t := [][]string{{"排名", "城市", "综合得分", "党的工作覆盖率", "按时报送", "报送次数"}}
	for _, r := range rs {
		c := r.city.Code
		t = append(t, []string{show(c, "rank"), r.city.Name, show(c, "score"), show(c, "work_coverage"), show(c, "on_time"), show(c, "submission_count")})
	}
	p := spec.ProvinceCode
	t = append(t, []string{"", spec.ProvinceName, show(p, "score"), show(p, "work_coverage"), show(p, "on_time") + " 个市", show(p, "submission_count")})
	fmt.Fprintln(w, "【综合评价】")
	writeGrid(w, t, 2)
	if len(missing) > 0 {
		fmt.Fprintf(w, "本月未报送（无得分、无排名）：%s\n", strings.Join(missing, "、"))
	}
	header := []string{"指标", "全省"}
	for _, c := range book.Cities {
		header = append(header, c.Short())
	}
	for _, g := range metrics.Groups() {
		if g == "综合评价" {
			continue
		}
		t := [][]string{header}
		for _, d := range defs {
			if d.Group != g {
				continue
			}
			row := []string{d.Name, show(p, d.ID)}
			for _, c := range book.Cities {
				row = append(row, show(c.Code, d.ID))
			}
			t = append(t, row)
		}
		fmt.Fprintf(w, "\n【%s】\n", g)
		writeGrid(w, t, 1)
	}
	fmt.Fprintf(w, "\n“%s”表示无值（该市本月没有被接收的工作簿，或分母为 0）。全省按各市数据合并计算（组织按信用代码、人员按身份证号去重）。\n", metrics.Null)
	fmt.Fprintf(w, "查看某个值的依据：ufa metrics --month %s --explain 指标编号 --city 市名（指标编号见 ufa metrics --list）\n", month)
	return nil
}

// writeGrid prints rows aligned, the first left columns (names) to the
// left and the others (figures) to the right.
func writeGrid(w io.Writer, rows [][]string, left int) {
	textgrid.Write(w, rows, func(i int) bool { return i >= left })
}

func printDefinitions(w io.Writer, format string) error {
	defs := metrics.Definitions()
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, d := range defs {
			if err := enc.Encode(map[string]any{"id": d.ID, "name": d.Name, "unit": d.Unit, "group": d.Group,
				"window": d.Window, "province": d.Province, "numerator": d.Numerator, "denominator": d.Denominator}); err != nil {
				return err
			}
		}
		return nil
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "name", "unit", "group", "window", "province"})
		for _, d := range defs {
			cw.Write([]string{d.ID, d.Name, d.Unit, d.Group, d.Window, d.Province})
		}
		cw.Flush()
		return cw.Error()
	}
	units := map[string]string{"count": "数量", "rate": "比率", "ratio": "比值", "score": "得分", "flag": "是/否", "rank": "名次"}
	t := [][]string{{"指标编号", "名称", "单位", "分组"}}
	for _, d := range defs {
		t = append(t, []string{d.ID, d.Name, units[d.Unit], d.Group})
	}
	writeGrid(w, t, 4)
	return nil
}

func writeExplainText(w io.Writer, e *metrics.Explanation) error {
	d := e.Definition
	fmt.Fprintf(w, "%s %s：%s（%s）\n", e.Month, e.CityName, d.Name, d.ID)
	fmt.Fprintf(w, "  指标值：%s\n", metrics.Display(d, e.CityCode, e.Value))
	if d.IsRatio() {
		scale := ""
		if d.Scale != 1 {
			scale = metrics.Cell(d.Scale) + " × "
		}
		fmt.Fprintf(w, "  = %s分子 ÷ 分母\n", scale)
		fmt.Fprintf(w, "  分子（%s）：%s\n", d.Numerator, optional(e.Numerator))
		fmt.Fprintf(w, "  分母（%s）：%s\n", d.Denominator, optional(e.Denominator))
	}
	if e.Computed && d.Scored() {
		fmt.Fprintf(w, "  已存储的值：%s\n", metrics.Display(d, e.CityCode, e.Stored))
	}
	for _, n := range e.Notes {
		fmt.Fprintf(w, "  注：%s\n", n)
	}
	for _, s := range e.Sets {
		fmt.Fprintf(w, "\n%s（%d 行）\n", s.Title, len(s.Rows))
		if len(s.Rows) == 0 {
			continue
		}
		t := [][]string{s.Columns}
		for _, r := range s.Rows {
			row := make([]string, len(r))
			for i, v := range r {
				row[i] = metrics.Cell(v)
			}
			t = append(t, row)
		}
		writeGrid(w, t, len(s.Columns))
	}
	return nil
}

func optional(v *float64) string {
	if v == nil {
		return metrics.Null
	}
	return metrics.Cell(*v)
}

func writeExplainJSON(w io.Writer, e *metrics.Explanation) error {
	type set struct {
		Title   string   `json:"title"`
		Columns []string `json:"columns"`
		Rows    [][]any  `json:"rows"`
	}
	num := func(v *float64) any {
		if s := metrics.Machine(v); s != "" {
			return json.Number(s)
		}
		return nil
	}
	out := struct {
		Month       string   `json:"month"`
		CityCode    string   `json:"city_code"`
		CityName    string   `json:"city_name"`
		Indicator   string   `json:"indicator"`
		Name        string   `json:"name"`
		Value       any      `json:"value"`
		Numerator   any      `json:"numerator"`
		Denominator any      `json:"denominator"`
		Stored      any      `json:"stored"`
		Notes       []string `json:"notes"`
		Sets        []set    `json:"sets"`
	}{Month: e.Month, CityCode: e.CityCode, CityName: e.CityName, Indicator: e.Definition.ID, Name: e.Definition.Name,
		Value: num(e.Value), Numerator: num(e.Numerator), Denominator: num(e.Denominator), Stored: num(e.Stored),
		Notes: e.Notes, Sets: []set{}}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	for _, s := range e.Sets {
		rows := [][]any{}
		for _, r := range s.Rows {
			row := make([]any, len(r))
			for i, v := range r {
				if t, ok := v.(time.Time); ok {
					row[i] = metrics.Cell(t) // a date as 2026-10-12
				} else {
					row[i] = v
				}
			}
			rows = append(rows, row)
		}
		out.Sets = append(out.Sets, set{s.Title, s.Columns, rows})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
