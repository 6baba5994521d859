package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"ufa/internal/spec"
)

// activity, suggestion and nomination are the month's events.
type activity struct {
	id, typ, title, level, org string
	date                       time.Time
	leader                     bool
	headcount                  int
	parts                      []string // ID numbers, distinct
}

type suggestion struct {
	date               time.Time
	id, title, channel string
	adopted            bool
}

type nomination struct {
	date                       time.Time
	id, target, level, outcome string
}

// month is what a city did in a month, drawn once so that a first attempt,
// the regular file and a correction of the same month tell the same story.
type month struct {
	m     time.Time
	t     int // months since the epoch
	acts  []activity
	suggs []suggestion
	noms  []nomination
	mech  map[string]any
}

// participants per activity type: the range of representatives taking part.
var partRange = map[string][2]int{
	"走访": {1, 3}, "座谈联谊": {4, 15}, "培训": {8, 40}, "研讨学习": {5, 20},
	"考察调研": {3, 10}, "专业咨询": {1, 4}, "社会服务": {2, 10},
}

// workday moves a weekend date to the nearest weekday inside the month
// most of the time: offices work on weekdays, volunteers do not always.
func workday(r *rand.Rand, d time.Time) time.Time {
	if r.Float64() < 0.15 {
		return d
	}
	switch d.Weekday() {
	case time.Saturday:
		if d.Day() > 1 {
			return d.AddDate(0, 0, -1)
		}
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		if next := d.AddDate(0, 0, 1); next.Month() == d.Month() {
			return next
		}
		return d.AddDate(0, 0, -2)
	}
	return d
}

// events draws the month's activities, suggestions, nominations and the
// mechanism items from the city's state at the end of the month.
func (c *city) events(m time.Time) *month {
	r := newRand(c.seed, "events", c.spec.Code, m.Format("2006-01"))
	t := c.monthIndex(m)
	mo := &month{m: m, t: t}
	end := monthEnd(m)
	var keys, trainees []*rep
	byID := make(map[string]*rep, len(c.reps))
	for _, p := range c.reps {
		byID[p.id] = p
		if p.key(c) {
			keys = append(keys, p)
		}
		if p.trainable(c, t) {
			trainees = append(trainees, p)
		}
	}
	n := count(r, float64(len(c.orgs))*c.p.actRate*season[m.Month()])
	if len(c.reps) > 0 {
		n = max(1, n)
	} else {
		n = 0
	}
	training := 0
	for i := range n {
		a := activity{
			id:   fmt.Sprintf("%s-%s-%03d", c.facts.abbrev, m.Format("2006-01"), i+1),
			typ:  pickW(r, activityTypes),
			date: workday(r, day(r, m, end)),
		}
		lo, hi := partRange[a.typ][0], partRange[a.typ][1]
		want := min(len(c.reps), lo+r.IntN(hi-lo+1))
		seen := map[string]bool{}
		for try := 0; len(a.parts) < want && try < want*4; try++ {
			var p *rep
			switch {
			case a.typ == "走访" && len(keys) > 0 && r.Float64() < c.p.visitFocus:
				p = pick(r, keys)
			case (a.typ == "培训" || a.typ == "研讨学习") && len(trainees) > 0:
				p = pick(r, trainees)
			default:
				p = pick(r, c.reps)
			}
			if !seen[p.id] {
				seen[p.id] = true
				a.parts = append(a.parts, p.id)
			}
		}
		extra := 2 + r.IntN(19)
		switch a.typ {
		case "走访", "专业咨询":
			extra = 1 + r.IntN(4)
		case "培训":
			extra = 5 + r.IntN(56)
		}
		a.headcount = len(a.parts) + extra
		a.level = pickW(r, []weighted{{"市级", 50}, {"县级", 40}, {"省级", 10}})
		a.leader = r.Float64() < c.p.leaderRate
		var o *org
		switch {
		case (a.typ == "走访" || a.typ == "专业咨询") && len(a.parts) > 0:
			o = c.byCode[byID[a.parts[0]].org]
		case r.Float64() < 0.2:
			o = pick(r, c.orgs)
		}
		if o != nil {
			a.org = o.code
		}
		a.title = c.activityTitle(r, &a, o, &training)
		mo.acts = append(mo.acts, a)
	}
	for range count(r, float64(len(c.reps))*c.p.suggRate*season[m.Month()]) {
		p := pick(r, c.reps)
		if len(keys) > 0 && r.IntN(2) == 0 {
			p = pick(r, keys)
		}
		mo.suggs = append(mo.suggs, suggestion{
			date: workday(r, day(r, m, end)), id: p.id,
			title:   "关于" + pick(r, suggestionTopics) + "的建议",
			channel: pickW(r, channels), adopted: r.Float64() < 0.35,
		})
	}
	for range count(r, float64(len(c.reps))*c.p.nomRate) {
		mo.noms = append(mo.noms, nomination{
			date: workday(r, day(r, m, end)), id: pick(r, c.reps).id,
			target: pickW(r, nominationTargets), level: pickW(r, nominationLevels), outcome: pickW(r, outcomes),
		})
	}
	mo.mech = map[string]any{
		"joint_meetings":         r.IntN(3),
		"budget_included":        yesNo(t >= c.p.budgetMonth),
		"budget_wan_yuan":        c.p.budget,
		"fulltime_cadres":        c.p.cadres + min(2, max(0, t/6)),
		"federation_established": yesNo(t >= c.p.fedMonth),
		"typical_cases":          r.IntN(4),
	}
	for i, k := range []string{"sys_friendship", "sys_visits", "sys_information", "sys_training", "sys_role", "sys_commendation"} {
		mo.mech[k] = yesNo(t >= c.p.mechMonths[i])
	}
	return mo
}

func (c *city) activityTitle(r *rand.Rand, a *activity, o *org, training *int) string {
	if a.typ == "走访" {
		name := c.spec.Name + "社会组织"
		if o != nil {
			name = o.name
		}
		return "走访" + name + pick(r, []string{"", "党外代表人士", "负责人"})
	}
	tpl := pick(r, activityTitles[a.typ])
	switch {
	case strings.Contains(tpl, "%d") && a.typ == "培训":
		*training++
		return fmt.Sprintf(tpl, *training)
	case strings.Contains(tpl, "%d"):
		return fmt.Sprintf(tpl, int(a.date.Month()))
	case strings.Contains(tpl, "%s") && a.typ == "考察调研" && strings.HasPrefix(tpl, "赴"):
		return fmt.Sprintf(tpl, pick(r, c.spec.Counties).Name)
	case strings.Contains(tpl, "%s"):
		sector := "社会组织"
		if o != nil {
			sector = o.sector
		} else if len(c.orgs) > 0 {
			sector = pick(r, c.orgs).sector
		}
		if sector == "其他" {
			sector = "社会服务"
		}
		return fmt.Sprintf(tpl, sector)
	}
	return tpl
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// dateCell is a date to write: a real Excel date, or text in styles that
// type dates by hand.
type dateCell struct{ time.Time }

// layout finds a spec column's place in a row by its key.
type layout struct {
	s   *spec.Sheet
	idx map[string]int
}

func newLayout(s *spec.Sheet) layout {
	l := layout{s: s, idx: map[string]int{}}
	for i, c := range s.Columns {
		l.idx[c.Key] = i
	}
	return l
}

func (l layout) put(row []any, key string, v any) {
	i, ok := l.idx[key]
	if !ok {
		panic(fmt.Sprintf("gen: no column %q in sheet %s", key, l.s.Key))
	}
	row[i] = v
}

// build turns the city's state at the end of month mo and the month's
// events into the rows of a workbook filed on filedOn.
func (c *city) build(book *spec.Book, mo *month, filedOn time.Time) *workbook {
	wb := &workbook{created: filedOn, author: c.clerk}
	t := mo.t
	for _, s := range book.Sheets {
		sh := &sheet{key: s.Key, name: s.Name, spec: s}
		l := newLayout(s)
		if s.Items {
			sh.cols = []string{"项目", "内容"}
			for _, col := range s.Columns {
				sh.items = append(sh.items, col.Key)
			}
		} else {
			for _, col := range s.Columns {
				sh.cols = append(sh.cols, col.Name)
				sh.keys = append(sh.keys, col.Key)
				sh.widths = append(sh.widths, col.Width)
			}
		}
		row := func() []any { return make([]any, len(s.Columns)) }
		switch s.Key {
		case spec.SheetCover:
			vals := map[string]any{
				"city": c.spec.Name, "month": mo.m.Format("2006-01"), "filled_by": c.clerk,
				"phone": c.phone, "filled_on": dateCell{filedOn}, "template_version": spec.TemplateVersion,
			}
			for _, col := range s.Columns {
				sh.rows = append(sh.rows, []any{col.Name, vals[col.Key]})
			}
		case spec.SheetOrganizations:
			sh.rows = make([][]any, 0, len(c.orgs))
			for _, o := range c.orgs {
				r := row()
				l.put(r, "credit_code", o.code)
				l.put(r, "name", o.name)
				l.put(r, "org_type", o.typ)
				l.put(r, "sector", o.sector)
				l.put(r, "county", o.county)
				l.put(r, "reg_level", o.level)
				l.put(r, "staff_total", o.staff)
				l.put(r, "party_members", o.party)
				l.put(r, "non_party_staff", o.staff-o.party)
				party := o.hasParty(c, t)
				l.put(r, "has_party_org", yesNo(party))
				if party {
					l.put(r, "party_org_form", o.partyForm())
				}
				l.put(r, "has_liaison", yesNo(o.hasLiaison(c, t)))
				l.put(r, "non_party_leaders", o.leaders)
				if !o.founded.IsZero() {
					l.put(r, "founded_on", dateCell{o.founded})
				}
				sh.rows = append(sh.rows, r)
			}
		case spec.SheetRepresentatives:
			sh.rows = make([][]any, 0, len(c.reps))
			for _, p := range c.reps {
				r := row()
				l.put(r, "id_number", p.id)
				l.put(r, "name", p.name)
				l.put(r, "gender", map[bool]string{true: "男", false: "女"}[p.male])
				l.put(r, "political_status", p.status)
				if p.edu != "" {
					l.put(r, "education", p.edu)
				}
				l.put(r, "org_credit_code", p.org)
				if p.position != "" {
					l.put(r, "position", p.position)
				}
				l.put(r, "is_org_leader", yesNo(p.leader))
				l.put(r, "is_new_media", yesNo(p.newMedia))
				l.put(r, "in_talent_pool", yesNo(p.pool(c, t)))
				l.put(r, "key_contact", yesNo(p.key(c)))
				if p.npc != "" {
					l.put(r, "npc_level", p.npc)
				}
				if p.cppcc != "" {
					l.put(r, "cppcc_level", p.cppcc)
				}
				if p.key(c) {
					l.put(r, "leader_paired", yesNo(p.paired(c)))
				}
				l.put(r, "listed_on", dateCell{p.listed})
				sh.rows = append(sh.rows, r)
			}
		case spec.SheetActivities:
			for _, a := range mo.acts {
				r := row()
				l.put(r, "activity_id", a.id)
				l.put(r, "date", dateCell{a.date})
				l.put(r, "type", a.typ)
				l.put(r, "title", a.title)
				l.put(r, "level", a.level)
				l.put(r, "leader_attended", yesNo(a.leader))
				if a.org != "" {
					l.put(r, "org_credit_code", a.org)
				}
				l.put(r, "headcount", a.headcount)
				sh.rows = append(sh.rows, r)
			}
		case spec.SheetParticipants:
			for _, a := range mo.acts {
				for _, id := range a.parts {
					r := row()
					l.put(r, "activity_id", a.id)
					l.put(r, "id_number", id)
					sh.rows = append(sh.rows, r)
				}
			}
		case spec.SheetSuggestions:
			for _, g := range mo.suggs {
				r := row()
				l.put(r, "date", dateCell{g.date})
				l.put(r, "id_number", g.id)
				l.put(r, "title", g.title)
				l.put(r, "channel", g.channel)
				l.put(r, "adopted", yesNo(g.adopted))
				sh.rows = append(sh.rows, r)
			}
		case spec.SheetNominations:
			for _, n := range mo.noms {
				r := row()
				l.put(r, "date", dateCell{n.date})
				l.put(r, "id_number", n.id)
				l.put(r, "target", n.target)
				l.put(r, "level", n.level)
				l.put(r, "outcome", n.outcome)
				sh.rows = append(sh.rows, r)
			}
		case spec.SheetMechanisms:
			for _, col := range s.Columns {
				v, ok := mo.mech[col.Key]
				if !ok {
					panic("gen: no mechanism item " + col.Key)
				}
				sh.rows = append(sh.rows, []any{col.Name, v})
			}
		}
		wb.sheets = append(wb.sheets, sh)
	}
	wb.sheets = append(wb.sheets, instructions(book))
	return wb
}

// instructions is the 填写说明 sheet the template writes; cities keep it.
func instructions(book *spec.Book) *sheet {
	sh := &sheet{name: spec.InstructionsSheet, cols: []string{"工作表", "列（项目）", "必填", "填写说明"}, widths: []float64{14, 30, 6, 60}}
	for _, s := range book.Sheets {
		sh.rows = append(sh.rows, []any{s.Name, "", "", s.Help})
		for _, c := range s.Columns {
			sh.rows = append(sh.rows, []any{s.Name, c.Name, yesNo(c.Required), c.Help})
		}
	}
	return sh
}
