package dashboards

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"

	"ufa/internal/month"
	"ufa/internal/spec"
	"ufa/internal/sqlfile"
	"ufa/metrics"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// query returns the text of sql/<name>.sql.
func query(name string) string { return sqlfile.Text(sqlFS, "sql/"+name+".sql") }

// noPartyOrgs is how many organizations without a Party organization a
// city page lists.
const noPartyOrgs = 10

// trendMonths is the length of the trend window.
const trendMonths = 12

// LoadOptions say what to load.
type LoadOptions struct {
	Month string   // the reporting month, YYYY-MM
	Date  string   // the date shown on the pages (YYYY-MM-DD); "" derives it from the data
	Map   *MapData // the map; nil uses the built-in one
}

// Months returns the months whose stored indicators the pages of month
// show (the trend window: the month and the eleven before it), for
// metrics.Ensure.
func Months(month string) ([]string, error) { return monthsBack(month, trendMonths) }

// Load reads everything the month's pages show from the warehouse: the
// indicator values of the month and the eleven before it (metrics), the
// scheme the month was scored with, the submission history, the latest
// findings and the breakdowns of the city pages. The month's indicators
// must have been computed (ufa metrics); callers make the months shown
// current first (metrics.Ensure(ctx, db, Months(month)...)), Load only
// reads.
func Load(ctx context.Context, db *sql.DB, opt LoadOptions) (*Data, error) {
	window, err := monthsBack(opt.Month, trendMonths)
	if err != nil {
		return nil, err
	}
	d := &Data{Month: opt.Month, Values: Values{}, Details: map[string]*CityDetail{}}
	for _, c := range spec.Load().Cities {
		d.Cities = append(d.Cities, City{Code: c.Code, Name: c.Name})
	}
	for _, def := range metrics.Definitions() {
		d.Indicators = append(d.Indicators, Indicator{ID: def.ID, Name: def.Name, Kind: kindOf(def.Unit), Group: def.Group})
	}

	run, err := metrics.LoadRun(ctx, db, opt.Month)
	if err != nil {
		return nil, &NoMetricsError{Month: opt.Month, Err: err}
	}
	d.Scheme.Name = run.Scheme.Name
	d.DeadlineDay = run.Scheme.DeadlineDay
	for _, it := range run.Scheme.Items {
		d.Scheme.Targets = append(d.Scheme.Targets, Target{Indicator: it.Indicator, Weight: it.Weight, Target: it.Target, Prorated: it.Prorated})
	}

	has := map[string]bool{} // months with values or submissions
	for _, m := range window {
		vals, err := metrics.Load(ctx, db, m)
		if errors.Is(err, metrics.ErrNotComputed) && m != opt.Month {
			continue // a month not computed: a gap in the trends
		}
		if err != nil {
			return nil, fmt.Errorf("读取 %s 的指标：%w", m, err)
		}
		has[m] = true
		for _, v := range vals {
			if v.Value != nil {
				d.Values.Set(v.Month, v.CityCode, v.Indicator, *v.Value)
			}
		}
	}
	if err := loadSubmissions(ctx, db, d, window); err != nil {
		return nil, err
	}
	for _, s := range d.Submissions {
		has[s.Month] = true
	}
	// The window starts at the first month with data, so a warehouse with
	// three months does not show nine empty ones; a gap inside stays a gap.
	for i, m := range window {
		if has[m] {
			d.Months = window[i:]
			break
		}
	}
	if err := loadDetails(ctx, db, d); err != nil {
		return nil, err
	}

	d.Date = opt.Date
	if d.Date == "" {
		d.Date, d.DateDerived = derivedDate(d), true
	}
	if opt.Map != nil {
		d.Map = *opt.Map
	} else if d.Map, err = DefaultMap(); err != nil {
		return nil, err
	}
	return d, nil
}

// kindOf maps a metrics unit to how the pages show it.
func kindOf(unit string) Kind {
	switch unit {
	case metrics.UnitRate:
		return KindRate
	case metrics.UnitRatio:
		return KindRatio
	case metrics.UnitScore:
		return KindScore
	case metrics.UnitFlag:
		return KindFlag
	case metrics.UnitRank:
		return KindRank
	default:
		return KindCount
	}
}

// derivedDate is the date the pages show when none is given: the latest
// 填报日期 among the month's submissions (the data is as of then), else the
// reporting month's last day. Never the clock: two runs over the same
// warehouse give the same bytes.
func derivedDate(d *Data) string {
	latest := ""
	for _, s := range d.Submissions {
		if s.Month == d.Month && s.FiledOn > latest {
			latest = s.FiledOn
		}
	}
	if latest != "" {
		return latest
	}
	return lastDay(d.Month)
}

func loadSubmissions(ctx context.Context, db *sql.DB, d *Data, window []string) error {
	rows, err := db.QueryContext(ctx, query("submissions"), window[0], window[len(window)-1])
	if err != nil {
		return fmt.Errorf("读取报送记录：%w", err)
	}
	defer rows.Close()
	var list []Submission
	var idList []int64
	for rows.Next() {
		var s Submission
		var id int64
		if err := rows.Scan(&id, &s.File, &s.City, &s.Month, &s.FiledOn, &s.Outcome, &s.Errors, &s.Warnings, &s.Older); err != nil {
			return fmt.Errorf("读取报送记录：%w", err)
		}
		s.Accepted = s.Outcome == "accepted" || s.Outcome == "superseded"
		s.Current = s.Outcome == "accepted"
		if n := len(list); n > 0 && list[n-1].City == s.City && list[n-1].Month == s.Month {
			s.Attempt = list[n-1].Attempt + 1
		} else {
			s.Attempt = 1
		}
		list = append(list, s)
		idList = append(idList, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("读取报送记录：%w", err)
	}
	d.Submissions = list

	// The findings of each city's latest attempt for the month. A file
	// sent again unchanged has no findings of its own (it was not checked
	// again): the attempt before it stands.
	latest := map[string]int{}
	for i, s := range list {
		if s.Month == d.Month && s.Outcome != outcomeUnchanged {
			latest[s.City] = i
		}
	}
	for i := range list {
		s := list[i]
		if j, ok := latest[s.City]; !ok || j != i {
			continue
		}
		det := d.detail(s.City)
		det.FindingsOf = &list[i]
		if err := db.QueryRowContext(ctx, query("findings_count"), idList[i]).Scan(&det.FindingsTotal); err != nil {
			return fmt.Errorf("读取 %s 的校验结果：%w", s.File, err)
		}
		fr, err := db.QueryContext(ctx, query("findings"), idList[i], maxFindings)
		if err != nil {
			return fmt.Errorf("读取 %s 的校验结果：%w", s.File, err)
		}
		for fr.Next() {
			var f Finding
			if err := fr.Scan(&f.Severity, &f.Code, &f.Sheet, &f.Row, &f.Column, &f.Value, &f.Message); err != nil {
				fr.Close()
				return fmt.Errorf("读取 %s 的校验结果：%w", s.File, err)
			}
			det.Findings = append(det.Findings, f)
		}
		err = fr.Err()
		fr.Close()
		if err != nil {
			return fmt.Errorf("读取 %s 的校验结果：%w", s.File, err)
		}
	}
	return nil
}

// detail returns the city's detail, creating it.
func (d *Data) detail(code string) *CityDetail {
	det := d.Details[code]
	if det == nil {
		det = &CityDetail{}
		d.Details[code] = det
	}
	return det
}

func loadDetails(ctx context.Context, db *sql.DB, d *Data) error {
	breakdown := func(name string, into func(det *CityDetail, dim string, c Count)) error {
		rows, err := db.QueryContext(ctx, query(name), d.Month, d.Month)
		if err != nil {
			return fmt.Errorf("读取各市构成（%s）：%w", name, err)
		}
		defer rows.Close()
		for rows.Next() {
			var city, dim string
			var c Count
			if err := rows.Scan(&city, &dim, &c.Label, &c.N); err != nil {
				return fmt.Errorf("读取各市构成（%s）：%w", name, err)
			}
			into(d.detail(city), dim, c)
		}
		return rows.Err()
	}
	err := breakdown("org_breakdown", func(det *CityDetail, dim string, c Count) {
		if dim == "type" {
			det.OrgByType = append(det.OrgByType, c)
		} else {
			det.OrgBySector = append(det.OrgBySector, c)
		}
	})
	if err != nil {
		return err
	}
	err = breakdown("rep_breakdown", func(det *CityDetail, dim string, c Count) {
		if dim == "status" {
			det.RepByStatus = append(det.RepByStatus, c)
		} else {
			det.RepByEducation = append(det.RepByEducation, c)
		}
	})
	if err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, query("no_party_orgs"), d.Month, noPartyOrgs)
	if err != nil {
		return fmt.Errorf("读取未建立党组织的社会组织：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var city string
		var o Org
		if err := rows.Scan(&city, &o.Name, &o.Type, &o.Sector, &o.County, &o.Staff); err != nil {
			return fmt.Errorf("读取未建立党组织的社会组织：%w", err)
		}
		det := d.detail(city)
		det.NoPartyOrg = append(det.NoPartyOrg, o)
	}
	return rows.Err()
}

// NoMetricsError: the pages' month has not been computed. The command
// line adds the command that computes it.
type NoMetricsError struct {
	Month string
	Err   error
}

func (e *NoMetricsError) Error() string {
	return fmt.Sprintf("%s 的指标尚未计算，无法生成看板（%v）", e.Month, e.Err)
}

func (e *NoMetricsError) Unwrap() error { return e.Err }

// lastDay returns the last day of month m as YYYY-MM-DD ("" if m is no month).
func lastDay(m string) string {
	t, err := month.Parse(m)
	if err != nil {
		return ""
	}
	return t.End().AddDate(0, 0, -1).Format("2006-01-02")
}
