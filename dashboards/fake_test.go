package dashboards

import (
	"fmt"
	"math"
	"os"
	"sort"
	"testing"

	"ufa/internal/spec"
)

// xssNames are organization names that would run script if a page ever
// treated them as markup.
var xssNames = []string{
	`</script><script>window.__xss=1</script>`,
	`<img src=x onerror="window.__xss=1">`,
}

// requireAssets returns the built-in map, or skips the test when ECharts
// and the map have not been fetched (a plain go test on a clean clone).
// In CI (CI set), where make test fetches them first, it fails instead.
func requireAssets(t testing.TB) MapData {
	t.Helper()
	m, err := DefaultMap()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("dashboard assets missing in CI: %v", err)
		}
		t.Skipf("dashboard assets not fetched (run bash scripts/assets.sh): %v", err)
	}
	return m
}

// fakeData builds a month of plausible values without the warehouse, for
// the tests of the pages alone (the warehouse-backed test is in
// browser_test.go). Deterministic: no randomness but a fixed formula.
func fakeData(t testing.TB) *Data {
	t.Helper()
	m := requireAssets(t)
	d := &Data{Month: "2026-10", Date: "2026-11-06", Values: Values{}, Details: map[string]*CityDetail{}, Map: m, DeadlineDay: 5}
	d.Months, _ = monthsBack(d.Month, 12)
	for _, c := range spec.Load().Cities {
		d.Cities = append(d.Cities, City{Code: c.Code, Name: c.Name})
	}
	d.Indicators = testIndicators()
	d.Scheme = Scheme{Name: "默认方案", Targets: []Target{
		{"work_coverage", 20, 1, false}, {"party_org_coverage", 15, 0.6, false},
		{"key_sector_work_coverage", 10, 1, false}, {"key_contact_visit_coverage_3m", 15, 1, false},
		{"training_coverage_ytd", 10, 0.8, true}, {"reps_per_100_orgs", 5, 10, false},
		{"suggestions_per_100_reps_ytd", 5, 30, true}, {"nominations_per_100_reps_ytd", 5, 5, true},
		{"non_party_leader_org_ratio", 5, 0.3, false}, {"mechanism_completeness", 5, 1, false},
		{"on_time", 5, 1, false},
	}}
	for mi, month := range d.Months {
		type cs struct {
			code  string
			score float64
			work  float64
		}
		var scores []cs
		for ci, c := range d.Cities {
			if ci == 13 && mi == 11 {
				continue // 葫芦岛市 has not submitted this month
			}
			f := float64((ci*7+mi*3)%20) / 20
			set := func(id string, v float64) { d.Values.Set(month, c.Code, id, v) }
			set("org_count", float64(1500+ci*137+mi*5))
			set("party_org_count", math.Round(float64(1500+ci*137)*(0.4+f/4)))
			set("party_org_coverage", 0.4+f/4)
			set("work_coverage", 0.7+f/4)
			set("key_sector_work_coverage", 0.6+f/3)
			set("key_contact_visit_coverage_3m", 0.3+f/2)
			set("training_coverage_ytd", 0.2+f/2)
			set("reps_per_100_orgs", 6+f*6)
			set("suggestions_per_100_reps_ytd", 10+f*20)
			set("nominations_per_100_reps_ytd", 1+f*5)
			set("non_party_leader_org_ratio", 0.1+f/4)
			set("mechanism_completeness", float64((ci+mi)%7)/6)
			set("rep_count", float64(120+ci*9))
			set("key_contact_count", float64(30+ci))
			set("visit_count", float64(10+(ci*mi)%17))
			set("activity_count", float64(20+(ci*mi)%23))
			set("leader_activity_count", float64((ci+mi)%5))
			set("budget_included", float64((ci+1)%2))
			set("submitted", 1)
			on := 1.0
			if (ci+mi)%5 == 0 {
				on = 0
			}
			set("on_time", on)
			s := 40 + f*50
			set("score", s)
			scores = append(scores, cs{c.Code, s, 0.7 + f/4})
		}
		if mi == 11 {
			d.Values.Set(month, d.Cities[13].Code, "submitted", 0)
			d.Values.Set(month, d.Cities[13].Code, "on_time", 0)
		}
		sort.SliceStable(scores, func(i, j int) bool {
			if scores[i].score != scores[j].score {
				return scores[i].score > scores[j].score
			}
			if scores[i].work != scores[j].work {
				return scores[i].work > scores[j].work
			}
			return scores[i].code < scores[j].code
		})
		for i, s := range scores {
			d.Values.Set(month, s.code, "rank", float64(i+1))
		}
		for _, id := range []string{"org_count", "rep_count", "key_contact_count", "visit_count", "activity_count", "leader_activity_count", "on_time"} {
			sum := 0.0
			for _, c := range d.Cities {
				v, _ := d.Values.Get(month, c.Code, id)
				sum += v
			}
			d.Values.Set(month, ProvinceCode, id, sum)
		}
		for _, id := range []string{"party_org_coverage", "work_coverage", "key_sector_work_coverage", "key_contact_visit_coverage_3m",
			"training_coverage_ytd", "reps_per_100_orgs", "suggestions_per_100_reps_ytd", "nominations_per_100_reps_ytd",
			"non_party_leader_org_ratio", "mechanism_completeness", "score", "budget_included"} {
			sum, n := 0.0, 0.0
			for _, c := range d.Cities {
				if v, ok := d.Values.Get(month, c.Code, id); ok {
					sum += v
					n++
				}
			}
			d.Values.Set(month, ProvinceCode, id, sum/n)
		}
		for ci, c := range d.Cities {
			attempts := 1 + (ci+mi)%3
			if ci == 13 && mi == 11 {
				attempts = 1
			}
			for a := 1; a <= attempts; a++ {
				acc := a == attempts && !(ci == 13 && mi == 11)
				s := Submission{City: c.Code, Month: month, Attempt: a, File: fmt.Sprintf("%s_%s.xlsx", c.Name, month),
					FiledOn: month + fmt.Sprintf("-%02d", 20+a), Accepted: acc, Current: acc, Outcome: "rejected"}
				if acc {
					s.Outcome = "accepted"
					s.Warnings = (ci + a) % 4
				} else {
					s.Errors = 1 + (ci*a)%9
				}
				d.Submissions = append(d.Submissions, s)
			}
		}
	}
	for ci, c := range d.Cities {
		det := &CityDetail{
			OrgByType:      []Count{{"社会团体", 600 + ci*10}, {"民办非企业单位", 700 + ci*20}, {"基金会", 30 + ci}, {"市场中介机构", 100 + ci*5}},
			OrgBySector:    []Count{{"行业协会商会", 300}, {"教育", 250}, {"慈善公益", 200}, {"科技", 120}, {"文化", 110}, {"卫生", 90}, {"律师", 60}, {"其他", 40}},
			RepByStatus:    []Count{{"群众", 60}, {"无党派人士", 30}, {"民盟", 12}, {"民建", 10}, {"九三学社", 6}},
			RepByEducation: []Count{{"研究生", 30}, {"大学本科", 70}, {"大学专科", 15}, {"高中及以下", 5}},
		}
		for i := 0; i < 10; i++ {
			name := fmt.Sprintf("%s第%d社会服务中心", c.Name, i+1)
			if i < len(xssNames) {
				name = xssNames[i]
			}
			det.NoPartyOrg = append(det.NoPartyOrg, Org{Name: name, Type: "民办非企业单位", Sector: "教育", County: "和平区", Staff: 300 - i*20})
		}
		ss := d.submissionsOf(c.Code, d.Month)
		if len(ss) > 0 {
			last := ss[len(ss)-1]
			det.FindingsOf = &last
			det.FindingsTotal = last.Errors + last.Warnings
			for i := 0; i < det.FindingsTotal && i < maxFindings; i++ {
				det.Findings = append(det.Findings, Finding{Severity: "error", Code: "E_REQUIRED", Sheet: "社会组织", Row: 5 + i,
					Column: "B", Value: xssNames[i%2], Message: "必填项为空：请填写组织名称。"})
			}
		}
		d.Details[c.Code] = det
	}
	return d
}

func testIndicators() []Indicator {
	return []Indicator{
		{ID: "org_count", Name: "社会组织数", Kind: KindCount},
		{ID: "party_org_count", Name: "建立党组织的社会组织数", Kind: KindCount},
		{ID: "party_org_coverage", Name: "党的组织覆盖率", Kind: KindRate},
		{ID: "work_coverage", Name: "党的工作覆盖率", Kind: KindRate},
		{ID: "key_sector_work_coverage", Name: "重点领域工作覆盖率", Kind: KindRate},
		{ID: "non_party_leader_org_ratio", Name: "党外人士担任负责人的组织占比", Kind: KindRate},
		{ID: "rep_count", Name: "代表人士数", Kind: KindCount},
		{ID: "reps_per_100_orgs", Name: "每百个社会组织代表人士数", Kind: KindRatio},
		{ID: "key_contact_count", Name: "重点联系人数", Kind: KindCount},
		{ID: "mechanism_completeness", Name: "制度建设完成度", Kind: KindRate},
		{ID: "budget_included", Name: "经费纳入预算", Kind: KindFlag},
		{ID: "activity_count", Name: "本月活动次数", Kind: KindCount},
		{ID: "visit_count", Name: "本月走访次数", Kind: KindCount},
		{ID: "leader_activity_count", Name: "本月党委主要领导参加活动次数", Kind: KindCount},
		{ID: "key_contact_visit_coverage_3m", Name: "重点联系人士走访覆盖率（近三个月）", Kind: KindRate},
		{ID: "training_coverage_ytd", Name: "代表人士培训覆盖率（年度累计）", Kind: KindRate},
		{ID: "suggestions_per_100_reps_ytd", Name: "每百名代表人士建言献策数（年度累计）", Kind: KindRatio},
		{ID: "nominations_per_100_reps_ytd", Name: "每百名代表人士提名举荐人次（年度累计）", Kind: KindRatio},
		{ID: "submitted", Name: "已报送", Kind: KindFlag},
		{ID: "on_time", Name: "按时报送", Kind: KindFlag},
		{ID: "score", Name: "综合得分", Kind: KindScore},
		{ID: "rank", Name: "排名", Kind: KindRank},
	}
}
