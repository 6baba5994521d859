package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart is one chart on a page: a container with a fixed id and its ECharts
// option as JSON. The page's own script (assets/dash.js) reads the option,
// attaches the formatters named by Fmt/Fmt2 and draws the chart.
type Chart struct {
	ID     string
	Title  string
	Note   string
	Wide   bool   // spans the page's width
	Height string // css class: h-s, h-m, h-l, h-xl
	Fmt    string // how values are shown: pct, score, int, dec1, rank, status
	Fmt2   string // the same for series on the second y axis
	Option template.JS
}

// optioner is what every go-echarts chart offers.
type optioner interface {
	Validate()
	JSON() map[string]interface{}
}

// mapName is the name under which assets/map.js registers the map.
const mapName = "liaoning"

// palette is ECharts' default one, fixed here so that pages stay the same
// if a later go-echarts changes its default. A fresh slice each time: no
// shared mutable state.
func palette() opts.Colors {
	return opts.Colors{"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de",
		"#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}
}

// base are the options every chart gets: a fixed id, SVG rendering (sharp
// when printed, and the same on screen), no animation (screenshots and
// print show the final state), and the item tooltip.
func base(id string, legend bool, trigger string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Renderer: "svg", Theme: "white"}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(palette()),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Top: "0", Type: "plain"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(false)}),
	}
}

// grid leaves room for the legend and the labels.
func grid(top string) charts.GlobalOpts {
	return charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: top, Bottom: "8", ContainLabel: opts.Bool(true)})
}

// hgrid is the grid of horizontal bars, with room for the value labels.
func hgrid(top string) charts.GlobalOpts {
	return charts.WithGridOpts(opts.Grid{Left: "8", Right: "56", Top: top, Bottom: "8", ContainLabel: opts.Bool(true)})
}

// finish marshals a chart's option. encoding/json escapes <, > and & (and
// U+2028/2029), so no text from a workbook can end the <script> block the
// option is written into.
func finish(ch Chart, c optioner, edit func(m map[string]any)) (Chart, error) {
	c.Validate()
	// Round-trip through JSON so that edits see plain maps and slices
	// (go-echarts' structs drop zero values such as min: 0 with omitempty).
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return Chart{}, fmt.Errorf("图表 %s 的配置无法写成 JSON：%w", ch.ID, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return Chart{}, fmt.Errorf("图表 %s 的配置无法读回：%w", ch.ID, err)
	}
	// go-echarts always writes an empty title; the page has its own.
	delete(m, "title")
	if edit != nil {
		edit(m)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(m); err != nil {
		return Chart{}, fmt.Errorf("图表 %s 的配置无法写成 JSON：%w", ch.ID, err)
	}
	ch.Option = template.JS(strings.TrimSpace(buf.String()))
	return ch, nil
}

func catAxis(data []string, rotate float64) opts.XAxis {
	return opts.XAxis{Type: "category", Data: data,
		AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Rotate: rotate, HideOverlap: opts.Bool(false)}}
}

func valAxisY(name string, max any) opts.YAxis {
	return opts.YAxis{Type: "value", Name: name, Max: max, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}
}

// shortName is a city name without 市, for crowded axes.
func shortName(n string) string { return strings.TrimSuffix(n, "市") }

// --- overview -----------------------------------------------------------

// mapChart shades the 14 cities by score; hovering shows the score.
func mapChart(d *Data) (Chart, error) {
	ch := Chart{ID: "map-score", Title: "各市综合得分地图", Height: "h-l", Fmt: "score",
		Note: "颜色越深得分越高；灰色为本月未报送、无得分的城市。"}
	c := charts.NewMap()
	c.RegisterMapType(mapName)
	lo, hi := 100.0, 0.0
	var data []opts.MapData
	for _, city := range d.Cities {
		v, ok := d.Values.Get(d.Month, city.Code, "score")
		item := opts.MapData{Name: city.Name}
		if ok {
			item.Value = round(v, 2)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		data = append(data, item)
	}
	if lo > hi {
		lo, hi = 0, 100
	}
	lo = math.Floor(lo/10) * 10
	hi = math.Min(100, math.Ceil(hi/10)*10)
	if hi <= lo {
		hi = lo + 10
	}
	c.SetGlobalOptions(append(base(ch.ID, false, "item"),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Calculable: opts.Bool(false),
			Min: float32(lo), Max: float32(hi), Text: []string{fixed(hi, 0) + " 分", fixed(lo, 0) + " 分"}, Left: "left", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: []string{"#e0ecf8", "#6a9fd4", "#1d4f91"}}}),
	)...)
	c.AddSeries("综合得分", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 11}))
	return finish(ch, c, func(m map[string]any) {
		s := at(m, "series", 0)
		// dash.js labels the cities by their short names (沈阳): the full
		// names crowd the small cities around Shenyang.
		s["label"] = map[string]any{"show": true, "fontSize": 10, "color": "#1f2a37", "textBorderColor": "#fff", "textBorderWidth": 2}
		s["itemStyle"] = map[string]any{"areaColor": "#e5e5e5", "borderColor": "#fff"}
		s["emphasis"] = map[string]any{"label": map[string]any{"show": true}, "itemStyle": map[string]any{"areaColor": "#f3b34c"}}
		s["selectedMode"] = false
		s["showLegendSymbol"] = false
		s["layoutCenter"] = []string{"50%", "50%"}
		s["layoutSize"] = "95%"
		// visualMap.min 0 is dropped by go-echarts' omitempty: write it.
		at(m, "visualMap", 0)["min"] = lo
	})
}

// at returns the i-th object of the list m[key] (nil if absent).
func at(m map[string]any, key string, i int) map[string]any {
	l, _ := m[key].([]any)
	if i >= len(l) {
		return map[string]any{}
	}
	o, _ := l[i].(map[string]any)
	if o == nil {
		return map[string]any{}
	}
	return o
}

// rankChart is the ranking as horizontal bars, first place on top.
func rankChart(d *Data) (Chart, error) {
	ch := Chart{ID: "rank-score", Title: "综合得分排名", Height: "h-l", Fmt: "score"}
	type row struct {
		name  string
		rank  float64
		score float64
	}
	var rows []row
	for _, city := range d.Cities {
		r, ok1 := d.Values.Get(d.Month, city.Code, "rank")
		s, ok2 := d.Values.Get(d.Month, city.Code, "score")
		if ok1 && ok2 {
			rows = append(rows, row{city.Name, r, s})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].rank < rows[j].rank })
	var names []string
	var data []opts.BarData
	for _, r := range rows {
		names = append(names, fmt.Sprintf("%d. %s", int(r.rank), r.name))
		data = append(data, opts.BarData{Value: round(r.score, 2)})
	}
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(ch.ID, false, "axis"), hgrid("8"),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}),
	)...)
	c.SetXAxis(names).XYReversal()
	c.AddSeries("综合得分", data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1d4f91"}),
		charts.WithBarChartOpts(opts.BarChart{BarWidth: "60%"}))
	return finish(ch, c, nil)
}

// coverageChart shows work and Party-organization coverage by city against
// the scheme's targets.
func coverageChart(d *Data) (Chart, error) {
	ch := Chart{ID: "coverage-city", Title: "各市党的工作覆盖率和党的组织覆盖率", Wide: true, Height: "h-m", Fmt: "pct"}
	var names []string
	for _, c := range d.Cities {
		names = append(names, shortName(c.Name))
	}
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(ch.ID, true, "axis"), charts.WithGridOpts(opts.Grid{Left: "8", Right: "56", Top: "40", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(catAxis(names, 0)),
		charts.WithYAxisOpts(valAxisY("", 100)),
	)...)
	c.SetXAxis(names)
	for i, id := range []string{"work_coverage", "party_org_coverage"} {
		in := d.indicator(id)
		var data []opts.BarData
		for _, city := range d.Cities {
			v, ok := d.Values.Get(d.Month, city.Code, id)
			data = append(data, opts.BarData{Value: chartValue(KindRate, v, ok)})
		}
		so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: palette()[i]})}
		if t, ok := d.target(id); ok {
			tv := round(effectiveTarget(t, d.Month)*100, 1)
			so = append(so,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "目标", YAxis: tv}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Formatter: "目标\n{c}%", Position: "end"},
					LineStyle: &opts.LineStyle{Color: palette()[i], Type: "dashed", Width: 2}}))
		}
		c.AddSeries(in.Name, data, so...)
	}
	return finish(ch, c, nil)
}

// trendChart draws values of some indicators of a city (or the province)
// over the window; ids2 go on a second y axis (counts of another magnitude).
func trendChart(d *Data, id, title, city string, ids []string, fmtKind string, ids2 ...string) (Chart, error) {
	ch := Chart{ID: id, Title: title, Height: "h-m", Fmt: fmtKind, Fmt2: fmtKind}
	var months []string
	for _, m := range d.Months {
		months = append(months, axisMonth(d.Months, m))
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base(ch.ID, true, "axis"), grid("64"),
		charts.WithXAxisOpts(catAxis(months, 0)),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Scale: opts.Bool(fmtKind != "pct"), Max: maxFor(fmtKind), AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
	)...)
	if len(ids2) > 0 {
		c.ExtendYAxis(opts.YAxis{Type: "value", Scale: opts.Bool(true), AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)},
			SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	}
	c.SetXAxis(months)
	for axis, list := range [][]string{ids, ids2} {
		for _, ind := range list {
			in := d.indicator(ind)
			var data []opts.LineData
			for _, m := range d.Months {
				v, ok := d.Values.Get(m, city, ind)
				data = append(data, opts.LineData{Value: chartValue(in.Kind, v, ok)})
			}
			name := in.Name
			symbol := "circle"
			if axis == 1 {
				name += "（右轴）"
				symbol = "rect"
			}
			c.AddSeries(name, data, charts.WithLineChartOpts(opts.LineChart{Symbol: symbol, SymbolSize: 6, YAxisIndex: axis}))
		}
	}
	return finish(ch, c, nil)
}

func maxFor(fmtKind string) any {
	if fmtKind == "pct" {
		return 100
	}
	return nil
}

// scoreTrendChart draws a score line and, on a second axis, either the
// number of cities on time (province) or the rank (city).
func scoreTrendChart(d *Data, id, title, city string) (Chart, error) {
	ch := Chart{ID: id, Title: title, Height: "h-m", Fmt: "score", Fmt2: "int"}
	var months []string
	for _, m := range d.Months {
		months = append(months, axisMonth(d.Months, m))
	}
	second, secondName := "on_time", "按时报送城市数"
	y2 := opts.YAxis{Type: "value", Name: "城市数", Min: 0, Max: len(d.Cities), MinInterval: 1, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}
	if city != ProvinceCode {
		second, secondName = "rank", "排名"
		ch.Fmt2 = "rank"
		y2 = opts.YAxis{Type: "value", Name: "排名", NameLocation: "start", Min: 1, Max: len(d.Cities), Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}, SplitLine: &opts.SplitLine{Show: opts.Bool(false)}}
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base(ch.ID, true, "axis"), grid("64"),
		charts.WithXAxisOpts(catAxis(months, 0)),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "得分", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
	)...)
	c.ExtendYAxis(y2)
	c.SetXAxis(months)
	var s1, s2 []opts.LineData
	for _, m := range d.Months {
		v, ok := d.Values.Get(m, city, "score")
		s1 = append(s1, opts.LineData{Value: chartValue(KindScore, v, ok)})
		w, ok := d.Values.Get(m, city, second)
		s2 = append(s2, opts.LineData{Value: chartValue(KindCount, w, ok)})
	}
	c.AddSeries("综合得分", s1, charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 6}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
	c.AddSeries(secondName, s2, charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1, Symbol: "rect", SymbolSize: 6}),
		charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed"}))
	return finish(ch, c, func(m map[string]any) {
		// The first y axis's min 0 is dropped by omitempty; restore it.
		at(m, "yAxis", 0)["min"] = 0
		if city != ProvinceCode {
			at(m, "yAxis", 1)["interval"] = 1 // every rank 1..14 on the axis
		}
	})
}

// heatChart is the city × indicator table of shares of the targets.
func heatChart(d *Data) (Chart, error) {
	ch := Chart{ID: "heat-share", Title: "各市考核指标完成目标情况", Wide: true, Height: "h-xl", Fmt: "pct",
		Note: "每格为指标值占目标的比例（超过目标按 100% 计，与计分一致）；年度累计指标的年度目标按月份折算；空白为无数据。"}
	var xs []string
	for _, t := range d.Scheme.Targets {
		xs = append(xs, shortIndicator(d.indicator(t.Indicator).Name))
	}
	ys := []string{"全省"}
	codes := []string{ProvinceCode}
	for _, c := range d.Cities {
		ys = append(ys, c.Name)
		codes = append(codes, c.Code)
	}
	var data []opts.HeatMapData
	for yi, code := range codes {
		for xi, t := range d.Scheme.Targets {
			s, ok := d.share(d.Month, code, t)
			data = append(data, opts.HeatMapData{Value: []any{xi, yi, chartValue(KindRate, s, ok)}})
		}
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(append(base(ch.ID, false, "item"),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "8", Bottom: "56", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, Position: "top",
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 64, Overflow: "break"},
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
	)...)
	c.SetXAxis(xs)
	c.AddSeries("完成目标比例", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 11}))
	return finish(ch, c, func(m map[string]any) {
		m["visualMap"] = []map[string]any{{"type": "continuous", "min": 0, "max": 100, "calculable": false,
			"orient": "horizontal", "left": "center", "bottom": 0, "text": []string{"100%", "0%"},
			"inRange": map[string]any{"color": []string{"#d73027", "#fee08b", "#1a9850"}}}}
	})
}

// shortIndicator shortens an indicator name for an axis label.
func shortIndicator(n string) string {
	n = strings.ReplaceAll(n, "（近三个月）", "")
	n = strings.ReplaceAll(n, "（年度累计）", "")
	return n
}

// axisMonth labels a month on a time axis: the year under the first month
// and under January, so a window across a new year stays unambiguous.
func axisMonth(window []string, m string) string {
	if len(m) == 7 && ((len(window) > 0 && m == window[0]) || m[5:] == "01") {
		return shortMonth(m) + "\n" + m[:4] + "年"
	}
	return shortMonth(m)
}

// --- city ---------------------------------------------------------------

// cityShareChart compares the city's shares of the targets with the province's.
func cityShareChart(d *Data, city City) (Chart, error) {
	ch := Chart{ID: "city-share", Title: "考核指标完成目标情况（与全省比较）", Height: "h-l", Fmt: "pct",
		Note: "指标值占目标的比例，超过目标按 100% 计。"}
	var names []string
	var mine, prov []opts.BarData
	for _, t := range d.Scheme.Targets {
		names = append(names, shortIndicator(d.indicator(t.Indicator).Name))
		s, ok := d.share(d.Month, city.Code, t)
		mine = append(mine, opts.BarData{Value: chartValue(KindRate, s, ok)})
		p, ok := d.share(d.Month, ProvinceCode, t)
		prov = append(prov, opts.BarData{Value: chartValue(KindRate, p, ok)})
	}
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(ch.ID, true, "axis"), hgrid("32"),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}}),
	)...)
	c.SetXAxis(names).XYReversal()
	c.AddSeries(city.Name, mine, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1d4f91"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", FontSize: 10}))
	c.AddSeries("全省", prov, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#b8c7dc"}))
	return finish(ch, c, nil)
}

// visitChart shows the key-contact visit coverage of the city and the
// province over the window, with the city's visits per month.
func visitChart(d *Data, city City) (Chart, error) {
	ch := Chart{ID: "city-visits", Title: "重点联系人士走访覆盖率（近三个月）与本月走访次数", Height: "h-m", Fmt: "pct", Fmt2: "int"}
	var months []string
	for _, m := range d.Months {
		months = append(months, axisMonth(d.Months, m))
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base(ch.ID, true, "axis"), grid("64"),
		charts.WithXAxisOpts(catAxis(months, 0)),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "覆盖率", Max: 100, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
	)...)
	c.ExtendYAxis(opts.YAxis{Type: "value", Name: "走访次数", MinInterval: 1, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}, SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	c.SetXAxis(months)
	var mine, prov []opts.LineData
	var visits []opts.BarData
	for _, m := range d.Months {
		v, ok := d.Values.Get(m, city.Code, "key_contact_visit_coverage_3m")
		mine = append(mine, opts.LineData{Value: chartValue(KindRate, v, ok)})
		p, ok := d.Values.Get(m, ProvinceCode, "key_contact_visit_coverage_3m")
		prov = append(prov, opts.LineData{Value: chartValue(KindRate, p, ok)})
		n, ok := d.Values.Get(m, city.Code, "visit_count")
		visits = append(visits, opts.BarData{Value: chartValue(KindCount, n, ok)})
	}
	bar := charts.NewBar()
	bar.SetXAxis(months)
	bar.AddSeries("本月走访次数", visits, charts.WithBarChartOpts(opts.BarChart{YAxisIndex: 1, BarWidth: "40%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#c9d6e8"}))
	c.AddSeries(city.Name+"覆盖率", mine, charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 6}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#1d4f91"}))
	c.AddSeries("全省覆盖率", prov, charts.WithLineChartOpts(opts.LineChart{Symbol: "rect", SymbolSize: 5}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#ee6666"}), charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed"}))
	c.Overlap(bar)
	return finish(ch, c, func(m map[string]any) {
		at(m, "yAxis", 0)["min"] = 0
		at(m, "yAxis", 1)["min"] = 0
	})
}

// pieChart shows counts as a ring.
func pieChart(id, title string, counts []Count) (Chart, error) {
	ch := Chart{ID: id, Title: title, Height: "h-m", Fmt: "int"}
	var data []opts.PieData
	for _, c := range counts {
		data = append(data, opts.PieData{Name: c.Label, Value: c.N})
	}
	c := charts.NewPie()
	c.SetGlobalOptions(base(ch.ID, false, "item")...)
	c.AddSeries(title, data,
		charts.WithPieChartOpts(opts.PieChart{Radius: []string{"30%", "52%"}, Center: []string{"50%", "54%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	return finish(ch, c, nil)
}

// countBarChart shows counts as horizontal bars, in the order given.
func countBarChart(id, title, note string, counts []Count, height string) (Chart, error) {
	ch := Chart{ID: id, Title: title, Note: note, Height: height, Fmt: "int"}
	var names []string
	var data []opts.BarData
	for _, c := range counts {
		names = append(names, c.Label)
		data = append(data, opts.BarData{Value: c.N})
	}
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(ch.ID, false, "axis"), hgrid("8"),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", Width: 220, Overflow: "truncate"}}),
	)...)
	c.SetXAxis(names).XYReversal()
	c.AddSeries(title, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#5470c6"}), charts.WithBarChartOpts(opts.BarChart{BarWidth: "60%"}))
	return finish(ch, c, nil)
}

// --- quality ------------------------------------------------------------

// attemptsChart shows, per city, the month's attempts by outcome.
func attemptsChart(d *Data) (Chart, error) {
	ch := Chart{ID: "quality-attempts", Title: "本月各市报送次数", Height: "h-m", Fmt: "int",
		Note: "接收：通过校验并入库；被拒收：有错误，未入库；重复：与已接收的文件完全相同，未再处理。"}
	var names []string
	var acc, rej, rep []opts.BarData
	for _, city := range d.Cities {
		names = append(names, shortName(city.Name))
		a, r, u := 0, 0, 0
		for _, s := range d.submissionsOf(city.Code, d.Month) {
			switch {
			case s.Outcome == outcomeRejected:
				r++
			case s.Outcome == outcomeUnchanged:
				u++
			case s.Accepted:
				a++
			}
		}
		acc = append(acc, opts.BarData{Value: a})
		rej = append(rej, opts.BarData{Value: r})
		rep = append(rep, opts.BarData{Value: u})
	}
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(ch.ID, true, "axis"), grid("40"),
		charts.WithXAxisOpts(catAxis(names, 0)),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
	)...)
	c.SetXAxis(names)
	c.AddSeries("接收", acc, charts.WithBarChartOpts(opts.BarChart{Stack: "n"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: "#3ba272"}))
	c.AddSeries("被拒收", rej, charts.WithBarChartOpts(opts.BarChart{Stack: "n"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: "#ee6666"}))
	c.AddSeries("重复", rep, charts.WithBarChartOpts(opts.BarChart{Stack: "n"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: "#b8c7dc"}))
	return finish(ch, c, nil)
}

// findingsChart shows, per city, the errors found over the month's
// attempts (what the city had to correct) and the warnings of its latest
// checked workbook (what remains to look at).
func findingsChart(d *Data) (Chart, error) {
	ch := Chart{ID: "quality-findings", Title: "本月各市报送发现的错误和警告", Height: "h-m", Fmt: "int",
		Note: "错误：本月各次报送发现的错误合计（有错误的工作簿被拒收）；警告：最近一次报送的警告数（不影响接收）。"}
	var names []string
	var errs, warns []opts.BarData
	for _, city := range d.Cities {
		names = append(names, shortName(city.Name))
		ss := d.submissionsOf(city.Code, d.Month)
		last, ok := latestChecked(ss)
		if !ok {
			errs = append(errs, opts.BarData{Value: "-"})
			warns = append(warns, opts.BarData{Value: "-"})
			continue
		}
		n := 0
		for _, s := range ss {
			n += s.Errors
		}
		errs = append(errs, opts.BarData{Value: n})
		warns = append(warns, opts.BarData{Value: last.Warnings})
	}
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(ch.ID, true, "axis"), grid("40"),
		charts.WithXAxisOpts(catAxis(names, 0)),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
	)...)
	c.SetXAxis(names)
	c.AddSeries("错误", errs, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#ee6666"}))
	c.AddSeries("警告", warns, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#fac858"}))
	return finish(ch, c, nil)
}

// Status values of the submission history chart.
const (
	statusNone   = 0 // no accepted workbook
	statusLate   = 1
	statusOnTime = 2
)

// historyChart is the month × city table of on time / late / not submitted.
func historyChart(d *Data) (Chart, error) {
	ch := Chart{ID: "quality-history", Title: "近 12 个月各市报送情况", Wide: true, Height: "h-l", Fmt: "status",
		Note: "按时：首份被接收工作簿的填报日期不晚于截止日；逾期：晚于截止日；未报送：该月没有被接收的工作簿。"}
	var xs []string
	for _, m := range d.Months {
		xs = append(xs, axisMonth(d.Months, m))
	}
	var ys []string
	for _, c := range d.Cities {
		ys = append(ys, c.Name)
	}
	var data []opts.HeatMapData
	for yi, city := range d.Cities {
		for xi, m := range d.Months {
			sub, ok1 := d.Values.Get(m, city.Code, "submitted")
			on, ok2 := d.Values.Get(m, city.Code, "on_time")
			var v any = "-"
			switch {
			case !ok1:
				// no indicator values for that month: unknown, left blank
			case sub < 0.5:
				v = statusNone
			case ok2 && on >= 0.5:
				v = statusOnTime
			default:
				v = statusLate
			}
			data = append(data, opts.HeatMapData{Value: []any{xi, yi, v}})
		}
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(append(base(ch.ID, false, "item"),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "8", Bottom: "48", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"},
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
	)...)
	c.SetXAxis(xs)
	c.AddSeries("报送情况", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 11}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 1}))
	return finish(ch, c, func(m map[string]any) {
		m["visualMap"] = []map[string]any{{"type": "piecewise", "orient": "horizontal", "left": "center", "bottom": 0,
			"pieces": []map[string]any{
				{"value": statusOnTime, "label": "按时", "color": "#1a9850"},
				{"value": statusLate, "label": "逾期", "color": "#fdae61"},
				{"value": statusNone, "label": "未报送", "color": "#d73027"},
			}}}
	})
}
