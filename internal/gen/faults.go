package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"time"

	"ufa/internal/codes"
	"ufa/internal/spec"
)

// FaultCodes are the finding codes of submission.md that a single
// workbook can carry; faults/<CODE>.xlsx is written for each. The
// cross-city warnings (W_CROSS_CITY_*) are findings of ingest across
// workbooks, not of one workbook, and have no file.
var FaultCodes = []string{
	"E_FILE", "E_SHEET_MISSING", "E_COLUMN_MISSING", "E_UNIT", "E_COVER", "E_REQUIRED", "E_TYPE", "E_ENUM",
	"E_CREDIT_CODE", "E_ID_NUMBER", "E_DUPLICATE", "E_REF", "E_RANGE", "E_CONSISTENCY",
	"W_COLUMN_UNKNOWN", "W_CODE_CATEGORY", "W_DIVISION", "W_KEY_CONTACT_NOT_IN_POOL",
	"W_TEMPLATE_VERSION", "W_OUTLIER",
}

// faultBase is the small valid workbook every fault starts from, and the
// rows a fault may touch without side effects: org is an organization no
// representative or activity refers to, rep a representative no activity,
// suggestion or nomination refers to, sugg the one suggestion.
type faultBase struct {
	wb       *workbook
	city     *city
	org, rep int
	sugg     int
	freshID  string // a valid ID number of the city that is not on the list
	month    time.Time
}

// newFaultBase builds the base: eight organizations and four
// representatives of the city for month m, two activities, one
// suggestion, one nomination. It is filed on the last day of the month,
// earlier than any regular file of the same city and month.
func newFaultBase(book *spec.Book, seed int64, c spec.City, idx int, m time.Time) *faultBase {
	cs := newCity(seed, c, idx, 8, m)
	r := newRand(seed, "faults", c.Code, m.Format("2006-01"))
	for len(cs.reps) < 3 {
		cs.addRep(r, m, true)
	}
	mo := cs.events(m)
	ym := m.Format("2006-01")
	p0, p1, p2 := cs.reps[0], cs.reps[1], cs.reps[2]
	o0 := cs.byCode[p0.org]
	mo.acts = []activity{
		{id: fmt.Sprintf("%s-%s-001", cs.facts.abbrev, ym), typ: "走访", title: "走访" + o0.name, level: "市级",
			org: o0.code, date: workday(r, m.AddDate(0, 0, 9)), headcount: 3, parts: []string{p0.id}},
		{id: fmt.Sprintf("%s-%s-002", cs.facts.abbrev, ym), typ: "座谈联谊", title: "社会组织党外代表人士座谈会", level: "市级",
			date: workday(r, m.AddDate(0, 0, 19)), headcount: 15, parts: []string{p0.id, p1.id, p2.id}},
	}
	mo.suggs = []suggestion{{date: workday(r, m.AddDate(0, 0, 14)), id: p1.id, title: "关于优化营商环境的建议", channel: "社情民意信息"}}
	mo.noms = []nomination{{date: workday(r, m.AddDate(0, 0, 21)), id: p2.id, target: "政协委员", level: "市", outcome: "待定"}}
	// The representative no event refers to, then the organization no
	// representative belongs to (created after, so nobody can be in it).
	cs.addRep(r, m, false)
	cs.addOrg(r, m, false)
	fb := &faultBase{city: cs, org: len(cs.orgs) - 1, rep: len(cs.reps) - 1, month: m}
	fb.wb = cs.build(book, mo, monthEnd(m))
	fb.freshID = cs.freshID(r, m)
	return fb
}

// freshID makes a valid ID number of the city that no representative has.
func (c *city) freshID(r *rand.Rand, m time.Time) string {
	for {
		birth := m.AddDate(-30-r.IntN(30), 0, -r.IntN(365))
		body := pick(r, c.spec.Counties).Code + birth.Format("20060102") + fmt.Sprintf("%03d", r.IntN(1000))
		id := body + string(codes.IDCheckChar(body))
		if !c.ids[id] {
			return id
		}
	}
}

// badCheck replaces the last character of a code by another valid-looking
// one, which breaks its check character.
func badCheck(s string) string {
	last := s[len(s)-1]
	for _, ch := range []byte("0123456789X") {
		if ch != last {
			return s[:len(s)-1] + string(ch)
		}
	}
	return s
}

// apply makes the fault of code in a clone of the base. E_FILE is made
// from the bytes and is not handled here.
func (fb *faultBase) apply(code string) *workbook {
	wb := fb.wb.clone()
	o, p := fb.org, fb.rep
	c := fb.city
	const (
		orgs = spec.SheetOrganizations
		reps = spec.SheetRepresentatives
	)
	switch code {
	case "E_SHEET_MISSING":
		// The nominations sheet deleted: nothing refers to it.
		wb.sheets = slices.DeleteFunc(wb.sheets, func(s *sheet) bool { return s.key == spec.SheetNominations })
	case "E_COLUMN_MISSING":
		wb.dropColumn(orgs, "has_liaison")
	case "E_UNIT":
		// The year's budget written in 元, as a finance office gives it,
		// with the item's name saying so: read as 万元 it would be 10,000
		// times too large.
		s := wb.sheet(spec.SheetMechanisms)
		i := s.item("budget_wan_yuan")
		row := slices.Clone(s.rows[i])
		row[0] = "年度工作经费（元）"
		switch v := row[1].(type) {
		case float64:
			row[1] = v * 10000
		case int:
			row[1] = v * 10000
		}
		s.rows[i] = row
	case "E_COVER":
		// A month that does not exist: the cover cannot say which month the
		// workbook reports.
		wb.set(spec.SheetCover, 0, "month", fmt.Sprintf("%d-13", fb.month.Year()))
	case "E_REQUIRED":
		wb.set(orgs, o, "name", nil)
	case "E_TYPE":
		wb.set(spec.SheetSuggestions, fb.sugg, "adopted", "待定")
	case "E_ENUM":
		wb.set(orgs, o, "sector", "环保")
	case "E_CREDIT_CODE":
		wb.set(orgs, o, "credit_code", badCheck(wb.get(orgs, o, "credit_code").(string)))
	case "E_ID_NUMBER":
		wb.set(reps, p, "id_number", badCheck(wb.get(reps, p, "id_number").(string)))
	case "E_DUPLICATE":
		s := wb.sheet(orgs)
		s.rows = append(s.rows, slices.Clone(s.rows[o]))
	case "E_REF":
		wb.set(spec.SheetSuggestions, fb.sugg, "id_number", fb.freshID)
	case "E_RANGE":
		wb.set(spec.SheetSuggestions, fb.sugg, "date", dateCell{fb.month.AddDate(0, 0, -1)})
	case "E_CONSISTENCY":
		g := wb.get(reps, p, "gender").(string)
		wb.set(reps, p, "gender", map[string]string{"男": "女", "女": "男"}[g])
	case "W_COLUMN_UNKNOWN":
		s := wb.sheet(orgs)
		s.cols = append(s.cols, "备注")
		s.keys = append(s.keys, "")
		s.widths = append(s.widths, 20)
		for i, r := range s.rows {
			note := any(nil)
			if i == o {
				note = "本月新登记"
			}
			s.rows[i] = append(slices.Clone(r), note)
		}
	case "W_CODE_CATEGORY":
		// A notary office registered as a public institution (12): not
		// justice administration's 3 nor market regulation's 9.
		body := "12" + c.spec.Code + "MB0000001"
		wb.set(orgs, o, "credit_code", body+string(codes.CreditCheckChar(body)))
		wb.set(orgs, o, "org_type", "市场中介机构")
		wb.set(orgs, o, "sector", "公证")
		wb.set(orgs, o, "name", c.spec.Name+"公证处")
	case "W_DIVISION":
		// Registered in Beijing's 朝阳区.
		body := "51110105MJ0000001"
		wb.set(orgs, o, "credit_code", body+string(codes.CreditCheckChar(body)))
		wb.set(orgs, o, "org_type", "社会团体")
		wb.set(orgs, o, "name", "中国"+c.spec.Short()+"籍企业家联谊会")
	case "W_KEY_CONTACT_NOT_IN_POOL":
		wb.set(reps, p, "key_contact", "是")
		wb.set(reps, p, "in_talent_pool", "否")
	case "W_TEMPLATE_VERSION":
		wb.set(spec.SheetCover, 0, "template_version", "2025.2")
	case "W_OUTLIER":
		wb.set(orgs, o, "staff_total", 12000)
		wb.set(orgs, o, "party_members", 1500)
		wb.set(orgs, o, "non_party_staff", 10500)
	default:
		panic("gen: no fault " + code)
	}
	return wb
}

func (wb *workbook) dropColumn(sheetKey, key string) {
	s := wb.sheet(sheetKey)
	i := s.col(key)
	s.cols = slices.Delete(s.cols, i, i+1)
	s.keys = slices.Delete(s.keys, i, i+1)
	s.widths = slices.Delete(s.widths, i, i+1)
	for n, r := range s.rows {
		s.rows[n] = slices.Delete(slices.Clone(r), i, i+1)
	}
}

// faults writes faults/<CODE>.xlsx for every code.
func (g *generator) faults(ctx context.Context, c spec.City, idx int, m time.Time) ([]File, error) {
	fb := newFaultBase(g.book, g.opt.Seed, c, idx, m)
	var out []File
	for _, code := range FaultCodes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var wb *workbook
		var data []byte
		var err error
		if code == "E_FILE" {
			// Cut off mid-way, as an interrupted upload or e-mail leaves it.
			wb = fb.wb
			if data, err = wb.bytes(); err == nil {
				data = data[:len(data)*3/5]
			}
		} else {
			wb = fb.apply(code)
			data, err = wb.bytes()
		}
		if err != nil {
			return nil, fmt.Errorf("gen: fault %s: %w", code, err)
		}
		name := "faults/" + code + ".xlsx"
		if err := writeFile(filepath.Join(g.opt.Out, filepath.FromSlash(name)), data); err != nil {
			return nil, fmt.Errorf("gen: %w", err)
		}
		f := File{Path: name, Kind: KindFault, City: c.Name, Month: m.Format("2006-01"),
			FiledOn: wb.created.Format("2006-01-02"), Code: code, Bytes: len(data)}
		if code != "E_FILE" {
			f.Rows = wb.rowCounts()
		}
		out = append(out, f)
	}
	return out, nil
}

// breakWorkbook makes a first attempt that is rejected: two to four
// errors a clerk makes (a sum that does not add up, a Party member on the
// list, a date in the wrong month, a mistyped code, a county of another
// city, a wrong gender, a missing name, a participant not on the list).
func breakWorkbook(r *rand.Rand, wb *workbook, c *city) *workbook {
	bad := wb.clone()
	const (
		orgs = spec.SheetOrganizations
		reps = spec.SheetRepresentatives
	)
	nOrg, nRep := len(bad.sheet(orgs).rows), len(bad.sheet(reps).rows)
	nAct := len(bad.sheet(spec.SheetActivities).rows)
	nPart := len(bad.sheet(spec.SheetParticipants).rows)
	own := map[string]bool{}
	for _, co := range c.spec.Counties {
		own[co.Name] = true
	}
	breaks := []func() bool{
		func() bool {
			i := r.IntN(nOrg)
			bad.set(orgs, i, "staff_total", bad.get(orgs, i, "staff_total").(int)+1+r.IntN(5))
			return true
		},
		func() bool {
			if nRep == 0 {
				return false
			}
			bad.set(reps, r.IntN(nRep), "political_status", "中共党员")
			return true
		},
		func() bool {
			if nAct == 0 {
				return false
			}
			d := bad.get(spec.SheetActivities, 0, "date").(dateCell)
			bad.set(spec.SheetActivities, r.IntN(nAct), "date", dateCell{d.AddDate(0, 1, 0)})
			return true
		},
		func() bool {
			i := r.IntN(nOrg)
			bad.set(orgs, i, "credit_code", badCheck(bad.get(orgs, i, "credit_code").(string)))
			return true
		},
		func() bool {
			for _, other := range []string{"中山区", "西岗区", "和平区", "铁东区", "振兴区", "元宝区"} {
				if !own[other] {
					bad.set(orgs, r.IntN(nOrg), "county", other)
					return true
				}
			}
			return false
		},
		func() bool {
			if nRep == 0 {
				return false
			}
			i := r.IntN(nRep)
			g := bad.get(reps, i, "gender").(string)
			bad.set(reps, i, "gender", map[string]string{"男": "女", "女": "男"}[g])
			return true
		},
		func() bool {
			bad.set(orgs, r.IntN(nOrg), "name", nil)
			return true
		},
		func() bool {
			if nPart == 0 {
				return false
			}
			bad.set(spec.SheetParticipants, r.IntN(nPart), "id_number", c.freshID(r, bad.created))
			return true
		},
	}
	r.Shuffle(len(breaks), func(i, j int) { breaks[i], breaks[j] = breaks[j], breaks[i] })
	want, done := 2+r.IntN(3), 0
	for _, b := range breaks {
		if done == want {
			break
		}
		if b() {
			done++
		}
	}
	return bad
}
