package metrics

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"ufa/internal/sqlfile"
)

// Units of indicator values. They say how a value is displayed; the stored
// value is always the unrounded number (rates as fractions).
const (
	UnitCount = "count" // a whole number
	UnitRate  = "rate"  // a fraction shown in percent: 0.634 → 63.4%
	UnitRatio = "ratio" // a ratio that is not a share, shown with two decimals
	UnitScore = "score" // the composite score, 0–100, two decimals
	UnitFlag  = "flag"  // 1 or 0 for a city (是/否); a mean or a count for the province
	UnitRank  = "rank"  // 1–14
)

// How the province's value comes from the cities' (Definition.Province).
const (
	ProvinceUnion = "union" // over the union of the reporting cities' rows
	ProvinceMean  = "mean"  // the mean of the reporting cities' values
	ProvinceSum   = "sum"   // the sum of the cities' values
	ProvinceCount = "count" // the number of cities with value 1
	ProvinceOwn   = "own"   // computed from the province's own values (score)
	ProvinceNone  = "none"  // no province value (rank)
)

// The two indicators the scheme produces; they have no SQL file.
const (
	IndicatorScore = "score"
	IndicatorRank  = "rank"
)

// Definition is one indicator of metrics.md.
type Definition struct {
	ID       string // work_coverage
	Name     string // 党的工作覆盖率
	Unit     string // count | rate | ratio | score | flag | rank
	Group    string // the report sheet it belongs on: 组织覆盖, 代表人士, ...
	Order    int    // position in listings
	Province string // union | mean | sum | count | own | none
	Window   string // "" (the month), "3m" or "ytd"
	// Scale multiplies numerator/denominator (100 for "per 100" ratios).
	Scale float64
	// Numerator and Denominator describe a ratio's parts in Chinese;
	// Denominator is "" for an indicator that is not a ratio.
	Numerator   string
	Denominator string
	// Doc is the explanation written beside the SQL.
	Doc string

	file  string     // sql/<id>.sql, "" for score and rank
	value string     // the query giving city_code, num, den
	rows  []rowQuery // the queries giving the rows behind a value
}

// rowQuery is a query with one ? (the scope: a city code or 210000) giving
// rows behind a value, with a Chinese title.
type rowQuery struct {
	title string
	sql   string
}

// IsRatio tells whether the value is Scale × numerator / denominator
// (null when the denominator is zero).
func (d Definition) IsRatio() bool { return d.Denominator != "" }

// Scored tells whether the indicator may appear in a scheme.
func (d Definition) Scored() bool { return d.file != "" }

//go:embed sql/*.sql
var sqlFiles embed.FS

// Group names in display order. A new group sorts by its first indicator.
var groupOrder = []string{"综合评价", "组织覆盖", "代表人士", "工作机制", "联系活动", "建言献策与提名举荐", "报送情况"}

// Definitions returns every indicator in display order: those of the SQL
// files in metrics/sql (one file per indicator, named by its id), then
// score and rank.
func Definitions() []Definition {
	defs, err := loadDefinitions(sqlFiles)
	if err != nil {
		// The files are embedded at build time and parsed by the tests.
		panic(fmt.Sprintf("metrics: embedded indicator files: %v", err))
	}
	return defs
}

// Lookup returns the definition of an indicator.
func Lookup(id string) (Definition, bool) {
	for _, d := range Definitions() {
		if d.ID == id {
			return d, true
		}
	}
	return Definition{}, false
}

// Groups returns the group names in display order.
func Groups() []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range Definitions() {
		if !seen[d.Group] {
			seen[d.Group] = true
			out = append(out, d.Group)
		}
	}
	return out
}

func loadDefinitions(fsys fs.FS) ([]Definition, error) {
	files, err := sqlfile.Load(fsys, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	var defs []Definition
	for _, f := range files {
		d, err := parseDefinition(f)
		if err != nil {
			return nil, err
		}
		defs = append(defs, d)
	}
	defs = append(defs,
		Definition{ID: IndicatorScore, Name: "综合得分", Unit: UnitScore, Group: "综合评价", Order: 900, Province: ProvinceOwn,
			Doc: "Σ weight × min(1, value / target) over the scheme's indicators; a null value earns 0; none for a city that did not submit."},
		Definition{ID: IndicatorRank, Name: "排名", Unit: UnitRank, Group: "综合评价", Order: 910, Province: ProvinceNone,
			Doc: "Cities that submitted, by unrounded score, highest first; ties by work_coverage, then city code."},
	)
	rank := func(g string) int {
		for i, n := range groupOrder {
			if n == g {
				return i
			}
		}
		return len(groupOrder)
	}
	sort.SliceStable(defs, func(i, j int) bool {
		gi, gj := rank(defs[i].Group), rank(defs[j].Group)
		if gi != gj {
			return gi < gj
		}
		if defs[i].Order != defs[j].Order {
			return defs[i].Order < defs[j].Order
		}
		return defs[i].ID < defs[j].ID
	})
	return defs, nil
}

var knownUnits = map[string]bool{UnitCount: true, UnitRate: true, UnitRatio: true, UnitFlag: true}
var knownProvince = map[string]bool{ProvinceUnion: true, ProvinceMean: true, ProvinceSum: true, ProvinceCount: true}

// parseDefinition reads one indicator file: "-- key: value" header lines,
// free comment lines (the Doc), then "-- @value" and any number of
// "-- @rows TITLE" sections, each one SQL statement.
func parseDefinition(f *sqlfile.File) (Definition, error) {
	d := Definition{ID: strings.TrimSuffix(path.Base(f.Name), ".sql"), Scale: 1, file: f.Name}
	fail := func(line int, format string, a ...any) (Definition, error) {
		return Definition{}, f.Errorf(line, format, a...)
	}
	for _, h := range f.Fields {
		val := h.Value
		switch h.Key {
		case "name":
			d.Name = val
		case "unit":
			d.Unit = val
		case "group":
			d.Group = val
		case "order":
			o, err := strconv.Atoi(val)
			if err != nil {
				return fail(h.Line, "order %q is not a number", val)
			}
			d.Order = o
		case "province":
			d.Province = val
		case "window":
			d.Window = val
		case "scale":
			s, err := strconv.ParseFloat(val, 64)
			if err != nil || s <= 0 {
				return fail(h.Line, "scale %q is not a positive number", val)
			}
			d.Scale = s
		case "numerator":
			d.Numerator = val
		case "denominator":
			d.Denominator = val
		default:
			return fail(h.Line, "unknown header %q", h.Key)
		}
	}
	for i, s := range f.Sections {
		switch {
		case s.Kind == "value" && i == 0:
		case s.Kind == "value":
			return fail(s.Line, "@value must be the first section, and only one")
		case s.Kind == "rows" && i == 0:
			return fail(s.Line, "@rows before @value")
		case s.Kind == "rows" && s.Title == "":
			return fail(s.Line, "@rows needs a title")
		case s.Kind == "rows":
		default:
			return fail(s.Line, "unknown section @%s", s.Kind)
		}
	}
	d.Doc = strings.Join(f.Doc, " ")
	switch {
	case f.BodyLine > 0:
		return fail(f.BodyLine, "SQL before the @value section")
	case d.Name == "":
		return fail(1, "no name")
	case !knownUnits[d.Unit]:
		return fail(1, "unit %q is not one of count, rate, ratio, flag", d.Unit)
	case d.Group == "":
		return fail(1, "no group")
	case !knownProvince[d.Province]:
		return fail(1, "province %q is not one of union, mean, sum, count", d.Province)
	case d.Window != "" && d.Window != "3m" && d.Window != "ytd":
		return fail(1, "window %q is not 3m or ytd", d.Window)
	case (d.Numerator == "") != (d.Denominator == ""):
		return fail(1, "a ratio needs both numerator and denominator")
	case len(f.Sections) == 0:
		return fail(1, "no @value section")
	}
	for i, s := range f.Sections {
		if s.SQL == "" {
			return fail(s.Line, "empty section %d", i+1)
		}
		if i == 0 {
			d.value = s.SQL
			continue
		}
		d.rows = append(d.rows, rowQuery{title: s.Title, sql: s.SQL})
	}
	return d, nil
}
