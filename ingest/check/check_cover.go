package check

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"ufa/ingest/model"
	"ufa/internal/month"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// ckCoverItem returns the cell of a cover item. The reader keeps an item
// sheet as one Row whose Values are indexed like the items, and the Excel
// row of each item in Lines; the finding is placed on the item's own row.
func ckCoverItem(t *model.Table, key string) (ckCell, bool) {
	i := t.Spec.ColumnIndex(key)
	if i < 0 {
		return ckCell{t: t, col: -1}, false
	}
	line := 0
	if i < len(t.Lines) {
		line = t.Lines[i]
	}
	row := &model.Row{Line: line}
	if len(t.Rows) > 0 {
		row.Values = t.Rows[0].Values
	}
	return ckCell{t, row, i}, line > 0
}

// ckClaim is one source's word on the city or the month (nil/zero when
// it says nothing).
type ckClaim struct {
	city  *spec.City
	month time.Time
}

// cover checks the cover's city and month against the command line and the
// file name and the filing date, warns on another template version, and
// decides the city and month the other rules may use.
//
// Choices (submission.md is silent on them):
//   - 报送月份 after the month of 填报日期 and 填报日期 before the first day
//     of 报送月份 are one and the same fault; it is reported once, as
//     E_COVER on 报送月份 (the month is what the cover rule names, and a
//     month that has not begun cannot be reported).
//   - When the cover's city or month is disputed (E_COVER), the rules that
//     need it (county, registration division; ID age, dates against the
//     month) are skipped, and the E_COVER message says so: checking every
//     row against a month that is probably wrong would turn one fault into
//     dozens of findings.
//   - When the cover's own city or month is missing or unreadable but the
//     command line and the file name agree on one, that one is used for
//     the other rules, so the clerk still sees every other problem.
func (r *checkRun) cover(opt Options) {
	var cmd, file ckClaim
	if s := textnorm.Code(opt.City); s != "" {
		cmd.city = chkCity(r.book, s)
	}
	if s := textnorm.Text(opt.Month); s != "" {
		cmd.month, _ = chkParseMonth(s)
	}
	file.city, file.month = ckFileNameFacts(r.book, r.wb.Path)

	t := r.table(spec.SheetCover)
	if t == nil {
		// E_SHEET_MISSING said it; fall back on the other sources.
		r.city = ckAgreedCity(cmd, file)
		r.setMonth(ckAgreedMonth(cmd, file))
		return
	}

	n := len(r.out.Listed())
	r.coverCity(t, opt, cmd, file)
	r.noteSkipped(n, r.city == nil, ckSkippedCity)

	// The filing date: recorded for the timeliness rule of ingest.
	var filed time.Time
	if fc, _ := ckCoverItem(t, "filled_on"); fc.ok() {
		filed = fc.v().Date()
		r.wb.FiledOn = filed
	}

	n = len(r.out.Listed())
	r.coverMonth(t, opt, cmd, file, filed)
	r.noteSkipped(n, r.month.IsZero(), ckSkippedMonth)

	// The template version: a warning, the workbook is still read by name.
	if vc, _ := ckCoverItem(t, "template_version"); vc.ok() {
		if s := textnorm.Text(vc.v().S); s != "" && strings.TrimPrefix(strings.ToLower(s), "v") != spec.TemplateVersion {
			r.warnf("W_TEMPLATE_VERSION", vc, "模板版本为“%s”，本程序按 %s 版模板校验：请用 ufa template 生成的最新模板重新填报，或核对各表列名是否与新模板一致",
				s, spec.TemplateVersion)
		}
	}
}

// noteSkipped tells, in the first E_COVER since finding n, that the rules
// needing the city or month are skipped until it is fixed.
func (r *checkRun) noteSkipped(n int, skipped bool, note string) {
	if !skipped {
		return
	}
	for i := n; i < len(r.out.Listed()); i++ {
		if r.out.Listed()[i].Code == "E_COVER" {
			r.out.Listed()[i].Message += note
			return
		}
	}
}

func (r *checkRun) coverCity(t *model.Table, opt Options, cmd, file ckClaim) {
	cc, present := ckCoverItem(t, "city")
	v := cc.v()
	if !present || (v.S == "" && !v.OK) {
		r.errorf("E_COVER", cc, "封面缺少填报单位：请在“%s”表“填报单位”一项填写本市名称，如“沈阳市”", t.Name)
		r.city = ckAgreedCity(cmd, file)
		return
	}
	var cover *spec.City
	if v.OK {
		cover = chkCity(r.book, textnorm.Code(v.S))
	}
	if cover == nil {
		r.errorf("E_COVER", cc, "填报单位“%s”不是辽宁省14个市之一：请填写本市名称，如“沈阳市”", v.S)
		r.city = ckAgreedCity(cmd, file)
		return
	}
	r.wb.City = cover
	switch {
	case opt.City != "" && cmd.city == nil:
		r.errorf("E_COVER", cc, "命令行指定的城市“%s”不是辽宁省14个市之一，无法与填报单位“%s”核对：请更正 --city（可写市名、简称或6位代码）",
			opt.City, cover.Name)
	case cmd.city != nil && cmd.city != cover:
		r.errorf("E_COVER", cc, "填报单位“%s”与指定的城市“%s”不一致：请确认这是否为本市的报表，并更正封面的填报单位",
			cover.Name, cmd.city.Name)
	case file.city != nil && file.city != cover:
		r.errorf("E_COVER", cc, "填报单位“%s”与文件名中的城市“%s”不一致：请确认这是否为本市的报表，并更正封面的填报单位或文件名",
			cover.Name, file.city.Name)
	default:
		r.city = cover
	}
}

func (r *checkRun) coverMonth(t *model.Table, opt Options, cmd, file ckClaim, filed time.Time) {
	mc, present := ckCoverItem(t, "month")
	v := mc.v()
	if !present || (v.S == "" && !v.OK) {
		r.errorf("E_COVER", mc, "封面缺少报送月份：请在“%s”表“报送月份”一项填写报表所属月份，如“2026-10”", t.Name)
		r.setMonth(ckAgreedMonth(cmd, file))
		return
	}
	var month time.Time
	if v.OK {
		month, _ = chkParseMonth(v.S)
	}
	if month.IsZero() {
		r.errorf("E_COVER", mc, "报送月份“%s”无法识别：请写作“2026-10”或“2026年10月”", v.S)
		r.setMonth(ckAgreedMonth(cmd, file))
		return
	}
	r.wb.Month = month
	ym := month.Format("2006-01")
	switch {
	case opt.Month != "" && cmd.month.IsZero():
		r.errorf("E_COVER", mc, "命令行指定的月份“%s”无法识别，无法与报送月份 %s 核对：请更正 --month，写作“2026-10”", opt.Month, ym)
	case !cmd.month.IsZero() && !cmd.month.Equal(month):
		r.errorf("E_COVER", mc, "报送月份 %s 与指定的月份 %s 不一致：请确认报表所属月份，并更正封面的报送月份",
			ym, cmd.month.Format("2006-01"))
	case !file.month.IsZero() && !file.month.Equal(month):
		r.errorf("E_COVER", mc, "报送月份 %s 与文件名中的月份 %s 不一致：请确认报表所属月份，并更正封面的报送月份或文件名",
			ym, file.month.Format("2006-01"))
	case !filed.IsZero() && month.After(filed):
		r.errorf("E_COVER", mc, "报送月份 %s 晚于填报日期 %s 所在的月份：月份未结束不能报送，请更正报送月份或填报日期",
			ym, filed.Format("2006-01-02"))
	default:
		r.setMonth(month)
	}
}

// What the E_COVER messages add when rules are skipped because of them.
const (
	ckSkippedCity  = "（更正前，“所在县(市、区)”和信用代码登记地的检查暂不进行）"
	ckSkippedMonth = "（更正前，各表日期与报送月份的比对及代表人士年龄检查暂不进行）"
)

func (r *checkRun) setMonth(m time.Time) {
	if m.IsZero() {
		r.month, r.monthEnd = time.Time{}, time.Time{}
		return
	}
	r.month, r.monthEnd = ckMonthBounds(m)
}

// ckAgreedCity is the city the command line and file name agree on, when
// the cover does not give one; nil when neither says or they disagree.
func ckAgreedCity(a, b ckClaim) *spec.City {
	switch {
	case a.city == nil:
		return b.city
	case b.city == nil || b.city == a.city:
		return a.city
	}
	return nil
}

func ckAgreedMonth(a, b ckClaim) time.Time {
	switch {
	case a.month.IsZero():
		return b.month
	case b.month.IsZero() || b.month.Equal(a.month):
		return a.month
	}
	return time.Time{}
}

// chkCity finds a city by canonical name, short name or 6-digit code (s
// normalised), returning a pointer into book.Cities so that cities compare
// by identity.
func chkCity(book *spec.Book, s string) *spec.City {
	s = strings.TrimPrefix(s, spec.ProvinceName) // 辽宁省沈阳市, as the reader accepts it
	for i := range book.Cities {
		c := &book.Cities[i]
		if s == c.Code || s == c.Name || s == c.Short() {
			return c
		}
	}
	return nil
}

// chkParseMonth reads a month as the cover and --month accept it:
// 2026-10, 2026/10, 2026.10, 2026年10月, 202610 (s normalised). The reader
// stores a valid cover month as YYYY-MM, which this reads too.
func chkParseMonth(s string) (time.Time, bool) {
	m, ok := month.ParseLoose(s)
	return m.Start(), ok
}

func ckAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ckFileNameFacts reads the city and month a file name states, as cities
// name their files: 沈阳市_2026-10.xlsx, 2026年10月-大连.xlsx,
// 大连_202610.xlsx, 沈阳市_2026-10_更正.xlsx, 210100_202610.xlsx. A name
// that states neither (报表.xlsx) gives nil and zero. A name that states
// two different cities or months, or only a full date (2026-11-03 may be
// the filing date rather than the month), states nothing: the file name is
// a hint and must not produce a false E_COVER.
func ckFileNameFacts(book *spec.Book, path string) (*spec.City, time.Time) {
	if path == "" {
		return nil, time.Time{}
	}
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	s := textnorm.Text(base)

	var city *spec.City
	cityCount := 0
	for i := range book.Cities {
		c := &book.Cities[i]
		if strings.Contains(s, c.Short()) || ckDigitRunsContain(s, c.Code) {
			city = c
			cityCount++
		}
	}
	if cityCount != 1 {
		city = nil
	}

	var month time.Time
	months := 0
	runs := ckDigitRuns(s)
	for i, run := range runs {
		var m time.Time
		switch len(run.text) {
		case 6:
			if t, ok := chkParseMonth(run.text); ok && t.Year() >= 2000 && t.Year() <= 2099 {
				m = t
			}
		case 4:
			if i+1 >= len(runs) {
				break
			}
			next := runs[i+1]
			sep := strings.TrimSpace(s[run.end:next.start])
			if len(next.text) > 2 {
				break
			}
			// A day after the month makes it a date (2026-11-03,
			// 2026年11月3日): perhaps the filing date, not the month.
			dayFollows := func(gap string) bool {
				if i+2 >= len(runs) || len(runs[i+2].text) > 2 {
					return false
				}
				return strings.TrimSpace(s[next.end:runs[i+2].start]) == gap
			}
			isDate := false
			switch sep {
			case "年":
				if !strings.HasPrefix(s[next.end:], "月") {
					sep = ""
				}
				isDate = dayFollows("月")
			case "-", "_", ".", "/":
				isDate = dayFollows(sep)
			default:
				sep = ""
			}
			if sep == "" || isDate {
				break
			}
			y, _ := strconv.Atoi(run.text)
			mo, _ := strconv.Atoi(next.text)
			if y >= 2000 && y <= 2099 && mo >= 1 && mo <= 12 {
				m = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
			}
		}
		if m.IsZero() {
			continue
		}
		if months == 0 || !m.Equal(month) {
			months++
		}
		month = m
	}
	if months != 1 {
		month = time.Time{}
	}
	return city, month
}

type ckDigitRun struct {
	text       string
	start, end int // byte offsets in the name
}

func ckDigitRuns(s string) []ckDigitRun {
	var out []ckDigitRun
	start := -1
	for i := 0; i <= len(s); i++ {
		digit := i < len(s) && s[i] >= '0' && s[i] <= '9'
		switch {
		case digit && start < 0:
			start = i
		case !digit && start >= 0:
			out = append(out, ckDigitRun{s[start:i], start, i})
			start = -1
		}
	}
	return out
}

func ckDigitRunsContain(s, code string) bool {
	for _, r := range ckDigitRuns(s) {
		if r.text == code {
			return true
		}
	}
	return false
}

func ckStartsWithDigit(s string) bool {
	for _, c := range s {
		return unicode.IsDigit(c)
	}
	return false
}
