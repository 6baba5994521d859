package dashboards

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// page is what the layout template needs for every page.
type page struct {
	Title      string // the <title> and the heading
	Subtitle   string
	Root       string // "" for pages in DIR, "../" for pages in DIR/city
	Active     string // index | quality | a city code: the highlighted link
	Cities     []City
	Month      string
	MonthLabel string
	Footer     footer
	WithMap    bool
	Charts     map[string]Chart
}

type footer struct {
	DateLabel  string // 生成日期 or 数据截至
	Date       string
	Provenance string
	Scheme     string
	MapSource  string
	ECharts    string
}

// kpi is one headline figure.
type kpi struct {
	Label  string
	Value  string
	Unit   string
	Change string
	Sign   int // 1 up, -1 down, 0 flat or unknown
}

// rankRow is one line of the ranking table.
type rankRow struct {
	Rank       string
	Code       string
	Name       string
	Score      string
	RankChange string
	Sign       int
	Work       string
	PartyOrg   string
	OnTime     string
}

// indicatorRow is one line of a city's indicator table.
type indicatorRow struct {
	Group    string // set on the first row of a group (其他指标)
	Name     string
	City     string
	Province string
	Target   string
	Weight   string
	Share    string
	Low      bool // below 60% of the target: drawn attention to
}

type overviewPage struct {
	page
	KPIs    []kpi
	Ranking []rankRow
	Missing []string // cities without an accepted workbook this month
}

type cityPage struct {
	page
	City        City
	Reported    bool
	Score       string
	Rank        string
	RankOf      int
	ScoreChange string
	ScoreSign   int
	Scored      []indicatorRow
	Others      []indicatorRow
	NoPartyOrg  []Org
	History     []historyRow
	Findings    []Finding
	FindingsMsg string
}

type historyRow struct {
	Month    string
	Attempt  int
	File     string
	FiledOn  string
	Outcome  string
	Rejected bool
	Current  bool
	Errors   int
	Warnings int
}

type qualityRow struct {
	Code      string
	Name      string
	Status    string // 按时 / 逾期 / 未报送
	StatusCls string
	FirstOK   string // filed date of the first accepted workbook
	Attempts  int
	Rejected  int
	Repeated  int    // the same file sent again
	ErrorsAll int    // errors found over all the month's attempts
	Errors    string // of the latest checked attempt
	Warnings  string
	Latest    string // outcome of the latest attempt
}

type qualityPage struct {
	page
	Rows                          []qualityRow
	Submitted, OnTime, Late, None int
	Attempts, Rejected, Repeated  int
	Deadline                      string
}

// outcomeLabel translates ingest's outcome words for people: the words of
// the warehouse's attempts view (migration 003), used everywhere.
func outcomeLabel(s Submission) string {
	switch s.Outcome {
	case "accepted":
		return "已接收"
	case "superseded":
		if s.Older {
			return "已接收（填报日期较早，未替换现行版本）"
		}
		return "已接收（已被更正替换）"
	case outcomeUnchanged:
		return "重复报送（与已接收文件相同）"
	case outcomeRejected:
		return "被拒收"
	}
	if s.Accepted {
		return "已接收"
	}
	if s.Outcome == "" {
		return "被拒收"
	}
	return s.Outcome
}

func (d *Data) basePage(title, root, active string) page {
	return page{
		Title:      title,
		Root:       root,
		Active:     active,
		Cities:     d.Cities,
		Month:      d.Month,
		MonthLabel: monthLabel(d.Month),
		Footer:     d.footer(),
		Charts:     map[string]Chart{},
	}
}

// Outcomes of ingest (transform's submissions.outcome) the pages treat apart.
const (
	outcomeRejected  = "rejected"
	outcomeUnchanged = "unchanged"
)

// latestChecked is the last attempt that was checked: a file sent again
// unchanged was not, and the attempt before it stands.
func latestChecked(ss []Submission) (Submission, bool) {
	for i := len(ss) - 1; i >= 0; i-- {
		if ss[i].Outcome != outcomeUnchanged {
			return ss[i], true
		}
	}
	return Submission{}, false
}

func dateLabel(derived bool) string {
	if derived {
		return "数据截至（本月最后一份报送的填报日期）"
	}
	return "生成日期"
}

func (d *Data) footer() footer {
	n, acc := 0, 0
	months := map[string]bool{}
	for _, s := range d.Submissions {
		n++
		if s.Accepted {
			acc++
		}
		months[s.Month] = true
	}
	first, last := d.Months[0], d.Months[len(d.Months)-1]
	prov := fmt.Sprintf("%s至%s各市报送的工作簿：%d 份报送，其中 %d 份被接收；数据覆盖 %d 个月",
		monthLabel(first), monthLabel(last), n, acc, len(months))
	scheme := d.Scheme.Name
	if scheme == "" {
		scheme = "默认方案"
	}
	return footer{
		DateLabel:  dateLabel(d.DateDerived),
		Date:       d.Date,
		Provenance: prov,
		Scheme:     scheme,
		MapSource:  d.Map.Source,
		ECharts:    "图表：Apache ECharts " + echartsVersion + "（Apache-2.0 许可，随页面离线提供）",
	}
}

func (d *Data) overview() (*overviewPage, error) {
	p := &overviewPage{page: d.basePage("全省总览", "", "index")}
	p.WithMap = true
	prev := prevMonth(d.Month)
	for _, id := range []string{"org_count", "party_org_coverage", "work_coverage", "rep_count",
		"key_contact_count", "visit_count", "on_time", "score"} {
		in := d.indicator(id)
		cur, okc := d.Values.Get(d.Month, ProvinceCode, id)
		old, oko := d.Values.Get(prev, ProvinceCode, id)
		k := kpi{Label: in.Name, Value: formatValue(in.Kind, cur, okc)}
		switch id {
		case "on_time":
			k.Label = "按时报送城市"
			k.Value = formatValue(KindCount, cur, okc)
			k.Unit = "/ " + strconv.Itoa(len(d.Cities))
			k.Change, k.Sign = formatChange(KindCount, cur, old, okc, oko)
		case "score":
			k.Label = "全省综合得分"
			k.Change, k.Sign = formatChange(KindScore, cur, old, okc, oko)
		default:
			k.Change, k.Sign = formatChange(in.Kind, cur, old, okc, oko)
		}
		if k.Change == "" {
			k.Change = "上月无数据"
		}
		p.KPIs = append(p.KPIs, k)
	}
	for _, c := range d.Cities {
		r, ok := d.Values.Get(d.Month, c.Code, "rank")
		if !ok {
			p.Missing = append(p.Missing, c.Name)
			continue
		}
		s, oks := d.Values.Get(d.Month, c.Code, "score")
		row := rankRow{Rank: strconv.Itoa(int(r)), Code: c.Code, Name: c.Name, Score: formatValue(KindScore, s, oks)}
		if pr, ok := d.Values.Get(prev, c.Code, "rank"); ok {
			switch diff := int(pr) - int(r); {
			case diff > 0:
				row.RankChange, row.Sign = "↑"+strconv.Itoa(diff), 1
			case diff < 0:
				row.RankChange, row.Sign = "↓"+strconv.Itoa(-diff), -1
			default:
				row.RankChange = "持平"
			}
		} else {
			row.RankChange = "—"
		}
		w, ok := d.Values.Get(d.Month, c.Code, "work_coverage")
		row.Work = formatValue(KindRate, w, ok)
		po, ok := d.Values.Get(d.Month, c.Code, "party_org_coverage")
		row.PartyOrg = formatValue(KindRate, po, ok)
		ot, ok := d.Values.Get(d.Month, c.Code, "on_time")
		row.OnTime = map[bool]string{true: "按时", false: "逾期"}[ok && ot >= 0.5]
		p.Ranking = append(p.Ranking, row)
	}
	sort.SliceStable(p.Ranking, func(i, j int) bool {
		a, _ := strconv.Atoi(p.Ranking[i].Rank)
		b, _ := strconv.Atoi(p.Ranking[j].Rank)
		return a < b
	})
	builders := []func() (Chart, error){
		func() (Chart, error) { return mapChart(d) },
		func() (Chart, error) { return rankChart(d) },
		func() (Chart, error) { return coverageChart(d) },
		func() (Chart, error) {
			return trendChart(d, "trend-rates", "全省主要覆盖率指标近 12 个月走势", ProvinceCode,
				[]string{"work_coverage", "party_org_coverage", "key_sector_work_coverage",
					"key_contact_visit_coverage_3m", "training_coverage_ytd"}, "pct")
		},
		func() (Chart, error) {
			return scoreTrendChart(d, "trend-score", "全省综合得分与按时报送城市数近 12 个月走势", ProvinceCode)
		},
		func() (Chart, error) {
			ch, err := trendChart(d, "trend-scale", "全省社会组织、代表人士和重点联系人数近 12 个月走势", ProvinceCode,
				[]string{"org_count"}, "int", "rep_count", "key_contact_count")
			ch.Note = reportingNote
			return ch, err
		},
		func() (Chart, error) {
			ch, err := trendChart(d, "trend-activity", "全省每月活动和走访次数近 12 个月走势", ProvinceCode,
				[]string{"activity_count", "visit_count", "leader_activity_count"}, "int")
			ch.Note = reportingNote
			return ch, err
		},
		func() (Chart, error) { return heatChart(d) },
	}
	for _, b := range builders {
		ch, err := b()
		if err != nil {
			return nil, err
		}
		p.Charts[ch.ID] = ch
	}
	return p, nil
}

// reportingNote explains a dip in a province total.
const reportingNote = "全省数值只计当月有被接收工作簿的城市：某市未报送的月份会明显偏低。"

// maxFindings is how many findings a city page lists.
const maxFindings = 50

func (d *Data) cityPage(c City) (*cityPage, error) {
	p := &cityPage{page: d.basePage(c.Name, "../", c.Code), City: c, RankOf: len(d.Cities)}
	p.Title = c.Name
	_, p.Reported = d.Values.Get(d.Month, c.Code, "score")
	s, ok := d.Values.Get(d.Month, c.Code, "score")
	p.Score = formatValue(KindScore, s, ok)
	r, okr := d.Values.Get(d.Month, c.Code, "rank")
	if okr {
		p.Rank = strconv.Itoa(int(r))
	}
	ps, okp := d.Values.Get(prevMonth(d.Month), c.Code, "score")
	p.ScoreChange, p.ScoreSign = formatChange(KindScore, s, ps, ok, okp)

	scored := map[string]bool{}
	for _, t := range d.Scheme.Targets {
		scored[t.Indicator] = true
		in := d.indicator(t.Indicator)
		v, okv := d.Values.Get(d.Month, c.Code, t.Indicator)
		pv, okpv := d.Values.Get(d.Month, ProvinceCode, t.Indicator)
		row := indicatorRow{
			Name:     in.Name,
			City:     d.cellValue(in, c.Code, v, okv),
			Province: d.cellValue(in, ProvinceCode, pv, okpv),
			Target:   formatTarget(in, t, d.Month),
			Weight:   fixed(t.Weight, 0),
		}
		if sh, oks := d.share(d.Month, c.Code, t); oks {
			row.Share = fixed(sh*100, 1) + "%"
			row.Low = sh < 0.6
		} else {
			row.Share = dash
		}
		p.Scored = append(p.Scored, row)
	}
	group := ""
	for _, in := range d.Indicators {
		if scored[in.ID] || in.ID == "score" || in.ID == "rank" {
			continue
		}
		v, okv := d.Values.Get(d.Month, c.Code, in.ID)
		pv, okpv := d.Values.Get(d.Month, ProvinceCode, in.ID)
		row := indicatorRow{Name: in.Name,
			City: d.cellValue(in, c.Code, v, okv), Province: d.cellValue(in, ProvinceCode, pv, okpv)}
		if in.Group != group {
			row.Group, group = in.Group, in.Group
		}
		p.Others = append(p.Others, row)
	}

	det := d.Details[c.Code]
	if det == nil {
		det = &CityDetail{}
	}
	p.NoPartyOrg = det.NoPartyOrg
	for _, s := range d.Submissions {
		if s.City != c.Code {
			continue
		}
		p.History = append(p.History, historyRow{Month: monthLabel(s.Month), Attempt: s.Attempt, File: s.File,
			FiledOn: orDash(s.FiledOn), Outcome: outcomeLabel(s), Rejected: s.Outcome == outcomeRejected, Current: s.Current,
			Errors: s.Errors, Warnings: s.Warnings})
	}
	// newest first: the latest month is what the reader looks for
	for i, j := 0, len(p.History)-1; i < j; i, j = i+1, j-1 {
		p.History[i], p.History[j] = p.History[j], p.History[i]
	}
	p.Findings = det.Findings
	switch {
	case det.FindingsOf == nil:
		p.FindingsMsg = "本月尚无报送记录。"
	case det.FindingsTotal == 0:
		p.FindingsMsg = fmt.Sprintf("本月最近一次报送（第 %d 次，%s）没有发现问题。", det.FindingsOf.Attempt, outcomeLabel(*det.FindingsOf))
	case det.FindingsTotal > len(det.Findings):
		p.FindingsMsg = fmt.Sprintf("本月最近一次报送（第 %d 次，%s）共发现 %d 个问题，下表列出前 %d 个。",
			det.FindingsOf.Attempt, outcomeLabel(*det.FindingsOf), det.FindingsTotal, len(det.Findings))
	default:
		p.FindingsMsg = fmt.Sprintf("本月最近一次报送（第 %d 次，%s）共发现 %d 个问题。",
			det.FindingsOf.Attempt, outcomeLabel(*det.FindingsOf), det.FindingsTotal)
	}

	var orgs []Count
	for _, o := range det.NoPartyOrg {
		orgs = append(orgs, Count{Label: o.Name, N: o.Staff})
	}
	builders := []func() (Chart, error){
		func() (Chart, error) { return cityShareChart(d, c) },
		func() (Chart, error) {
			return scoreTrendChart(d, "city-trend", "综合得分与排名近 12 个月走势", c.Code)
		},
		func() (Chart, error) { return visitChart(d, c) },
		func() (Chart, error) {
			return trendChart(d, "city-coverage", "党的工作覆盖率和党的组织覆盖率近 12 个月走势", c.Code,
				[]string{"work_coverage", "party_org_coverage", "key_sector_work_coverage"}, "pct")
		},
		func() (Chart, error) {
			return pieChart("city-org-type", "社会组织（按组织类型）", det.OrgByType)
		},
		func() (Chart, error) {
			return countBarChart("city-org-sector", "社会组织（按所属领域）", "", det.OrgBySector, "h-m")
		},
		func() (Chart, error) {
			return countBarChart("city-rep-status", "代表人士（按政治面貌）", "", det.RepByStatus, "h-m")
		},
		func() (Chart, error) {
			return pieChart("city-rep-edu", "代表人士（按学历）", det.RepByEducation)
		},
		func() (Chart, error) {
			return countBarChart("city-noparty", "从业人员最多的未建立党组织的社会组织",
				"按从业人员数排列，供推进党的组织覆盖时参考。", orgs, "h-l")
		},
	}
	for _, b := range builders {
		ch, err := b()
		if err != nil {
			return nil, err
		}
		p.Charts[ch.ID] = ch
	}
	return p, nil
}

// cellValue formats a value for an indicator table; a city's flags read 是/否.
func (d *Data) cellValue(in Indicator, city string, v float64, ok bool) string {
	if in.Kind == KindFlag && city != ProvinceCode {
		return formatFlag(v, ok)
	}
	if in.Kind == KindFlag {
		// The province's flags: a count of cities (submitted, on_time) or
		// the mean over reporting cities, shown as their share.
		if !ok {
			return dash
		}
		if in.ID == "submitted" || in.ID == "on_time" {
			return grouped(int64(math.Round(v))) + " 市"
		}
		return fixed(v*100, 1) + "%（报送城市中）"
	}
	return formatValue(in.Kind, v, ok)
}

// formatTarget shows a target in the indicator's unit, prorated when it is.
func formatTarget(in Indicator, t Target, month string) string {
	tv := effectiveTarget(t, month)
	var s string
	switch in.Kind {
	case KindRate:
		s = fixed(tv*100, 1) + "%"
	case KindFlag:
		s = "是"
	default:
		s = fixed(tv, 1)
		if tv == math.Trunc(tv) {
			s = fixed(tv, 0)
		}
	}
	if t.Prorated {
		s += "（按月折算）"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return dash
	}
	return s
}

func (d *Data) quality() (*qualityPage, error) {
	p := &qualityPage{page: d.basePage("报送质量", "", "quality")}
	p.Deadline = fmt.Sprintf("每月工作簿应于次月 %d 日前报送", d.DeadlineDay)
	for _, c := range d.Cities {
		row := qualityRow{Code: c.Code, Name: c.Name, FirstOK: dash, Errors: dash, Warnings: dash, Latest: dash}
		ss := d.submissionsOf(c.Code, d.Month)
		for _, s := range ss {
			row.Attempts++
			row.ErrorsAll += s.Errors
			switch {
			case s.Outcome == outcomeRejected:
				row.Rejected++
			case s.Outcome == outcomeUnchanged:
				row.Repeated++
			case s.Accepted && row.FirstOK == dash:
				row.FirstOK = orDash(s.FiledOn)
			}
		}
		if n := len(ss); n > 0 {
			row.Latest = outcomeLabel(ss[n-1])
		}
		if last, ok := latestChecked(ss); ok {
			row.Errors, row.Warnings = strconv.Itoa(last.Errors), strconv.Itoa(last.Warnings)
		}
		sub, _ := d.Values.Get(d.Month, c.Code, "submitted")
		on, _ := d.Values.Get(d.Month, c.Code, "on_time")
		switch {
		case sub < 0.5:
			row.Status, row.StatusCls = "未报送", "bad"
			p.None++
		case on >= 0.5:
			row.Status, row.StatusCls = "按时", "good"
			p.Submitted++
			p.OnTime++
		default:
			row.Status, row.StatusCls = "逾期", "warn"
			p.Submitted++
			p.Late++
		}
		p.Attempts += row.Attempts
		p.Rejected += row.Rejected
		p.Repeated += row.Repeated
		p.Rows = append(p.Rows, row)
	}
	for _, b := range []func() (Chart, error){
		func() (Chart, error) { return attemptsChart(d) },
		func() (Chart, error) { return findingsChart(d) },
		func() (Chart, error) { return historyChart(d) },
	} {
		ch, err := b()
		if err != nil {
			return nil, err
		}
		p.Charts[ch.ID] = ch
	}
	return p, nil
}
