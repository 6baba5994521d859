package dashboards

import (
	"fmt"
	"math"

	"ufa/internal/month"
)

// ProvinceCode is the city_code under which indicator values of the whole
// province are stored (metrics.md).
const ProvinceCode = "210000"

// Kind says how an indicator's value is displayed.
type Kind int

const (
	KindCount Kind = iota // an integer count: 1,234
	KindRate              // a fraction shown in percent with one decimal: 63.4%
	KindRatio             // a ratio shown with two decimals, as ufa metrics shows it: 12.35
	KindScore             // the composite score, two decimals: 78.45
	KindFlag              // 1/0 for a city: 是/否 (the province's value is a mean or a count)
	KindRank              // a rank: 第 3 名
)

// Indicator is one indicator as the pages show it.
type Indicator struct {
	ID    string
	Name  string // the Chinese name of metrics.md
	Kind  Kind
	Group string // the group it is listed under (metrics' groups)
}

// Target is one line of the assessment scheme.
type Target struct {
	Indicator string
	Weight    float64
	Target    float64
	Prorated  bool // a ytd indicator whose annual target is prorated by month
}

// Scheme is the assessment scheme the month's scores were computed with.
type Scheme struct {
	Name    string // shown in the footer, e.g. 默认方案
	Targets []Target
}

// City is one of the 14 cities.
type City struct {
	Code string
	Name string // 沈阳市
}

type valueKey struct{ month, city, indicator string }

// Values holds indicator values; a missing key is a null value.
type Values map[valueKey]float64

// Set stores a value.
func (v Values) Set(month, city, indicator string, x float64) {
	v[valueKey{month, city, indicator}] = x
}

// Get returns a value and whether it is there (not null).
func (v Values) Get(month, city, indicator string) (float64, bool) {
	x, ok := v[valueKey{month, city, indicator}]
	if ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return 0, false
	}
	return x, ok
}

// Submission is one attempt of a city to submit a month's workbook.
type Submission struct {
	City     string // city code
	Month    string // YYYY-MM
	Attempt  int    // 1-based order of the attempts for the city and month
	File     string // the file name as received (text from outside: escaped on output)
	FiledOn  string // 填报日期 of the cover, YYYY-MM-DD, "" when unknown
	Outcome  string // accepted, rejected, replaced, unchanged, ... as recorded by ingest
	Accepted bool   // the workbook was loaded (accepted, or accepted and superseded since)
	Current  bool   // it is the city's current accepted workbook for the month
	// Older: accepted after the current workbook but filed before it, so
	// it did not replace it.
	Older    bool
	Errors   int
	Warnings int
}

// Finding is one finding of a submission, as stored by ingest.
type Finding struct {
	Severity string // error | warning
	Code     string
	Sheet    string
	Row      int // 0 when about a whole sheet or file
	Column   string
	Value    string
	Message  string
}

// Count is a label and how many.
type Count struct {
	Label string
	N     int
}

// Org is an organization listed on a city page.
type Org struct {
	Name   string
	Type   string
	Sector string
	County string
	Staff  int
}

// CityDetail is what a city page shows beyond the indicators.
type CityDetail struct {
	OrgByType      []Count
	OrgBySector    []Count
	RepByStatus    []Count
	RepByEducation []Count
	// NoPartyOrg are the largest organizations (by staff) that have no Party
	// organization yet: where the next effort goes.
	NoPartyOrg []Org
	// Findings of the city's latest attempt for the month, at most
	// maxFindings of them, and how many there are in all.
	Findings      []Finding
	FindingsTotal int
	FindingsOf    *Submission
}

// MapData is the map of Liaoning the overview shades by score.
type MapData struct {
	GeoJSON []byte // a GeoJSON FeatureCollection whose feature names are the city names
	Source  string // shown under the map, e.g. where it comes from and its 审图号
}

// Data is everything the pages of one month show. Load fills it from the
// warehouse; tests and benchmarks may build it directly.
type Data struct {
	Month  string   // the reporting month, YYYY-MM
	Months []string // the trend window, ascending, ending with Month (up to 12)
	Date   string   // the date shown on the pages, YYYY-MM-DD
	// DateDerived tells that Date was derived from the data (the latest
	// filing date) rather than given: the footer then says 数据截至.
	DateDerived bool
	Cities      []City // in code order
	Indicators  []Indicator
	Scheme      Scheme
	Values      Values
	// Submissions of every city in the trend window, sorted by city, month, attempt.
	Submissions []Submission
	Details     map[string]*CityDetail // by city code
	Map         MapData
	// DeadlineDay is the day of the next month by which a workbook is due.
	DeadlineDay int
}

// monthsBack returns the n months ending with m, ascending.
func monthsBack(m string, n int) ([]string, error) {
	t, err := month.Parse(m)
	if err != nil {
		return nil, fmt.Errorf("月份 %q 格式不对，应为 YYYY-MM（如 2026-10）", m)
	}
	out := make([]string, n)
	for i := 0; i < n; i++ {
		out[n-1-i] = t.Add(-i).String()
	}
	return out, nil
}

// prevMonth returns the month before m ("" if m is not a month).
func prevMonth(m string) string {
	ms, err := monthsBack(m, 2)
	if err != nil {
		return ""
	}
	return ms[0]
}

// indicator returns the definition of id (a bare one when unknown).
func (d *Data) indicator(id string) Indicator {
	for _, in := range d.Indicators {
		if in.ID == id {
			return in
		}
	}
	return Indicator{ID: id, Name: id, Kind: KindRatio}
}

// target returns the scheme's line for id.
func (d *Data) target(id string) (Target, bool) {
	for _, t := range d.Scheme.Targets {
		if t.Indicator == id {
			return t, true
		}
	}
	return Target{}, false
}

// effectiveTarget is the target for month m: annual targets of ytd
// indicators are prorated by the month of the year (metrics.md).
func effectiveTarget(t Target, m string) float64 {
	if !t.Prorated {
		return t.Target
	}
	mt, err := month.Parse(m)
	if err != nil {
		return t.Target
	}
	return t.Target * float64(mt.Month()) / 12
}

// share is the share of the target a value reaches, capped at 1 as the
// score caps it. The province's on_time is the number of cities on time, so
// its share is taken of the 14 cities (metrics.md).
func (d *Data) share(month, city string, t Target) (float64, bool) {
	v, ok := d.Values.Get(month, city, t.Indicator)
	if !ok {
		return 0, false
	}
	if city == ProvinceCode && t.Indicator == "on_time" && len(d.Cities) > 0 {
		v /= float64(len(d.Cities))
	}
	tgt := effectiveTarget(t, month)
	if tgt <= 0 {
		return 1, true
	}
	return math.Min(1, v/tgt), true
}

// cityName returns the name of a city code (the province included).
func (d *Data) cityName(code string) string {
	if code == ProvinceCode {
		return "辽宁省"
	}
	for _, c := range d.Cities {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// submissionsOf returns the attempts of a city for a month, in order.
func (d *Data) submissionsOf(city, month string) []Submission {
	var out []Submission
	for _, s := range d.Submissions {
		if s.City == city && s.Month == month {
			out = append(out, s)
		}
	}
	return out
}
