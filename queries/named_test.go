package queries

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"ufa/internal/spec"
	"ufa/internal/sqlval"
	"ufa/metrics"
)

var months = []string{"2026-01", "2026-02", "2026-03"}

// The queries the issue asks for are there, each with a description and
// parameters that its SQL uses.
func TestQueryFiles(t *testing.T) {
	want := []string{"coverage", "findings", "indicator_rows", "ranking", "rep_changes", "submissions", "uncovered_orgs", "unvisited_key_contacts"}
	var got []string
	for _, q := range List() {
		got = append(got, q.Name)
		if q.Description == "" || len(q.Params) == 0 {
			t.Errorf("%s: description %q, %d params", q.Name, q.Description, len(q.Params))
		}
		if p, ok := q.Param("month"); !ok || !p.Required {
			t.Errorf("%s: month is not a required parameter", q.Name)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("queries %v, want %v", got, want)
	}
	if q, _ := Lookup("indicator_rows"); !q.Explain {
		t.Error("indicator_rows does not come from metrics.Explain")
	}
	if q, _ := Lookup("uncovered_orgs"); strings.Join(q.Params[2].Choices, "|") != "both|party|liaison" || q.Params[2].Default != "both" {
		t.Errorf("uncovered_orgs lack = %+v", q.Params[2])
	}
}

func TestQueryFileErrors(t *testing.T) {
	const head = "-- name: x\n-- description: 说明\n"
	tests := []struct{ name, text, want string }{
		{"no description", "-- name: x\nSELECT 1\n", "description"},
		{"name not file", "-- name: y\n-- description: d\nSELECT 1\n", "does not match"},
		{"param unused", head + "-- param: month (必填) 月份\nSELECT 1\n", "not used"},
		{"param no kind", head + "-- param: month 月份\nSELECT $month\n", "(必填) or = DEFAULT"},
		{"param no doc", head + "-- param: month (必填)\nSELECT $month\n", "no description"},
		{"default not a choice", head + "-- param: k = z [a|b] 说明\nSELECT $k\n", "not one of"},
		{"param twice", head + "-- param: k = a 说明\n-- param: k = b 说明\nSELECT $k\n", "twice"},
		{"unknown key", head + "-- colour: red\nSELECT 1\n", "unknown header key"},
		{"no sql", head, "no SQL"},
		{"bad name", head + "-- param: Month (必填) 月份\nSELECT $Month\n", "bad parameter name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(fstest.MapFS{"sql/x.sql": {Data: []byte(tc.text)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// A refused query file names the line to mend, as file:line.
func TestQueryFileErrorLines(t *testing.T) {
	const head = "-- name: x\n-- description: 说明\n"
	for _, c := range []struct{ text, want string }{
		{head + "-- colour: red\nSELECT 1\n", `sql/x.sql:3: unknown header key "colour"`},
		{head + "-- param: k = a 说明\n-- param: k = b 说明\nSELECT $k\n", "sql/x.sql:4: parameter k twice"},
		{head + "-- param: month 月份\nSELECT $month\n", "sql/x.sql:3: parameter month: say (必填) or = DEFAULT"},
		{head + "-- param: month (必填) 月份\n--\n-- doc\nSELECT 1\n", "sql/x.sql:6: parameter month is not used"},
		{head + "--\n-- doc\nSELECT 1\n-- @value\nSELECT 2\n", "sql/x.sql:5: SQL before the first section"},
		{"-- description: d\n-- name: y\nSELECT 1\n", `sql/x.sql:2: name "y" does not match the file name`},
	} {
		_, err := load(fstest.MapFS{"sql/x.sql": {Data: []byte(c.text)}})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

func TestBind(t *testing.T) {
	r := &Runner{}
	q, _ := Lookup("uncovered_orgs")
	got, err := r.Bind(&q, map[string]string{"month": "2026-03", "city": "大连"})
	if err != nil {
		t.Fatal(err)
	}
	if got["city"] != "210200" || got["lack"] != "both" || got["month"] != "2026-03" {
		t.Errorf("bound %v", got)
	}
	for _, all := range []string{"全省", "辽宁省", "210000"} {
		if got, err := r.Bind(&q, map[string]string{"month": "2026-03", "city": all}); err != nil || got["city"] != spec.ProvinceCode {
			t.Errorf("city %s: %v %v", all, got, err)
		}
	}
	ind, _ := Lookup("indicator_rows")
	bad := []struct {
		q    Query
		args map[string]string
		want string
	}{
		{q, map[string]string{}, "缺少参数 month"},
		{q, map[string]string{"month": "2026-13"}, "YYYY-MM"},
		{q, map[string]string{"month": "2026-3"}, "YYYY-MM"},
		{q, map[string]string{"month": "2026-03", "city": "北京市"}, "不认识的城市"},
		{q, map[string]string{"month": "2026-03", "lack": "all"}, "只能是 both、party、liaison"},
		{q, map[string]string{"month": "2026-03", "colour": "red"}, "没有参数 \"colour\""},
		{ind, map[string]string{"month": "2026-03", "city": "沈阳市", "indicator": "happiness"}, "不认识的指标"},
		{ind, map[string]string{"month": "2026-03", "city": "沈阳市", "indicator": "org_count", "set": "0"}, "set"},
	}
	for _, tc := range bad {
		_, err := r.Bind(&tc.q, tc.args)
		var re *RequestError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: error %v, want a RequestError saying %q", tc.q.Name, tc.args, err, tc.want)
		}
	}
}

// ranking: the cities that submitted the month, by rank, with the stored
// score rounded to two decimals.
func TestRanking(t *testing.T) {
	r, _ := fixture(t)
	for _, m := range months {
		res := named(t, r, "ranking", "month", m)
		vals := values(t, r.DB, m)
		submitted := count(t, r.DB, "SELECT count(*) FROM cur_submissions WHERE month = ?", m)
		if int64(len(res.rows)) != submitted || submitted < 12 {
			t.Fatalf("%s: %d ranked rows, %d submitting cities", m, len(res.rows), submitted)
		}
		rk, code, score := res.col(t, "排名"), res.col(t, "城市代码"), res.col(t, "综合得分")
		for i, row := range res.rows {
			c := row[code].(string)
			if row[rk].(int64) != int64(i+1) || vals[c]["rank"] != float64(i+1) {
				t.Errorf("%s row %d: rank %v, stored %v", m, i, row[rk], vals[c]["rank"])
			}
			if got, want := row[score].(float64), math.Round(vals[c]["score"]*100)/100; got != want {
				t.Errorf("%s %s: score %v, want %v", m, c, got, want)
			}
			if i > 0 && row[score].(float64) > res.rows[i-1][score].(float64) {
				t.Errorf("%s: row %d scores more than the row above", m, i)
			}
		}
	}
	// A month never computed is refused with the month as its cause (the
	// command line adds the way out: cmd/ufa's query_test checks it).
	q, _ := Lookup("ranking")
	_, err := r.Run(context.Background(), Request{Query: &q, Args: map[string]string{"month": "2025-06"}})
	var re *RequestError
	var nc *metrics.NotComputedError
	if !errors.As(err, &re) || !errors.As(err, &nc) || nc.Month != "2025-06" || !strings.Contains(err.Error(), "2025-06") {
		t.Errorf("uncomputed month: %v", err)
	}
}

// coverage: per city and type, summing to the city's 合计 row, which
// counts cur_organizations and agrees with the stored indicators.
func TestCoverage(t *testing.T) {
	r, _ := fixture(t)
	for _, m := range months {
		res := named(t, r, "coverage", "month", m)
		vals := values(t, r.DB, m)
		code, typ, n := res.col(t, "城市代码"), res.col(t, "组织类型"), res.col(t, "社会组织数")
		party, work := res.col(t, "建立党组织数"), res.col(t, "党的工作覆盖数")
		type sums struct{ n, party, work int64 }
		parts, totals := map[string]sums{}, map[string]sums{}
		for _, row := range res.rows {
			c := row[code].(string)
			s := sums{row[n].(int64), row[party].(int64), row[work].(int64)}
			if row[typ] == "合计" {
				if _, dup := totals[c]; dup {
					t.Errorf("%s %s: two 合计 rows", m, c)
				}
				totals[c] = s
				continue
			}
			if _, done := totals[c]; done {
				t.Errorf("%s %s: a type after 合计", m, c)
			}
			p := parts[c]
			parts[c] = sums{p.n + s.n, p.party + s.party, p.work + s.work}
		}
		if len(totals) < 12 {
			t.Fatalf("%s: %d cities", m, len(totals))
		}
		for c, tot := range totals {
			if parts[c] != tot {
				t.Errorf("%s %s: types sum to %+v, 合计 %+v", m, c, parts[c], tot)
			}
			if want := count(t, r.DB, "SELECT count(*) FROM cur_organizations WHERE month = ? AND city_code = ?", m, c); tot.n != want {
				t.Errorf("%s %s: %d organizations, cur_organizations has %d", m, c, tot.n, want)
			}
			if float64(tot.party) != vals[c]["party_org_count"] || float64(tot.work) != vals[c]["work_covered_count"] {
				t.Errorf("%s %s: party %d work %d, stored %v %v", m, c, tot.party, tot.work, vals[c]["party_org_count"], vals[c]["work_covered_count"])
			}
		}
	}
	one := named(t, r, "coverage", "month", "2026-03", "city", "沈阳市")
	for _, row := range one.rows {
		if row[0] != "210100" {
			t.Fatalf("city=沈阳市 gave a row of %v", row[0])
		}
	}
	if len(one.rows) < 2 {
		t.Errorf("沈阳市: %d rows", len(one.rows))
	}
}

// unvisited_key_contacts: per city, the key contacts not counted in the
// numerator of key_contact_visit_coverage_3m.
func TestUnvisitedKeyContacts(t *testing.T) {
	r, _ := fixture(t)
	var listed, visited int
	for _, m := range months {
		res := named(t, r, "unvisited_key_contacts", "month", m)
		vals := values(t, r.DB, m)
		got := countBy(t, res, "城市代码")
		masked := res.col(t, "公民身份号码")
		for _, row := range res.rows {
			if s := row[masked].(string); !strings.Contains(s, "********") || len(s) != 18 {
				t.Errorf("ID shown as %q, want the masked form", s)
			}
		}
		for c, v := range vals {
			if c == spec.ProvinceCode {
				continue
			}
			keys, ok := v["key_contact_count"]
			if !ok {
				continue
			}
			cov := v["key_contact_visit_coverage_3m"] // absent (0 key contacts) → 0
			want := int(keys - math.Round(cov*keys))
			if got[c] != want {
				t.Errorf("%s %s: %d unvisited, stored figures give %v key contacts × (1 − %v) = %d", m, c, got[c], keys, cov, want)
			}
			listed += int(keys)
			visited += int(keys) - want
		}
	}
	if visited == 0 || visited == listed {
		t.Errorf("fixture too dull: %d of %d key contacts visited", visited, listed)
	}
	one := named(t, r, "unvisited_key_contacts", "month", "2026-03", "city", "210200")
	for _, row := range one.rows {
		if row[0] != "210200" {
			t.Fatalf("city=210200 gave %v", row[0])
		}
	}
}

// uncovered_orgs: the complement of work_covered_count (both), of
// party_org_count (party), and the organizations without a liaison.
func TestUncoveredOrgs(t *testing.T) {
	r, _ := fixture(t)
	m := "2026-02"
	vals := values(t, r.DB, m)
	both := countBy(t, named(t, r, "uncovered_orgs", "month", m), "城市代码")
	party := countBy(t, named(t, r, "uncovered_orgs", "month", m, "lack", "party"), "城市代码")
	liaison := countBy(t, named(t, r, "uncovered_orgs", "month", m, "lack", "liaison"), "城市代码")
	total := 0
	for c, v := range vals {
		if c == spec.ProvinceCode || v["submitted"] != 1 {
			continue
		}
		if want := int(v["org_count"] - v["work_covered_count"]); both[c] != want {
			t.Errorf("%s: %d uncovered, want %d", c, both[c], want)
		}
		if want := int(v["org_count"] - v["party_org_count"]); party[c] != want {
			t.Errorf("%s: %d without Party organization, want %d", c, party[c], want)
		}
		want := count(t, r.DB, "SELECT count(*) FROM cur_organizations WHERE month = ? AND city_code = ? AND NOT coalesce(has_liaison, false)", m, c)
		if int64(liaison[c]) != want {
			t.Errorf("%s: %d without liaison, want %d", c, liaison[c], want)
		}
		total += both[c]
	}
	if total == 0 {
		t.Error("no uncovered organization in the fixture")
	}
	res := named(t, r, "uncovered_orgs", "month", m, "city", "沈阳市")
	p, l := res.col(t, "是否建立党组织"), res.col(t, "是否有统战工作联络员")
	for _, row := range res.rows {
		if row[0] != "210100" || row[p] != false || row[l] != false {
			t.Fatalf("row %v", row)
		}
	}
}

// rep_changes: entries and exits of each city, as computed here from the
// lists, and as rep_entries / rep_exits count them.
func TestRepChanges(t *testing.T) {
	r, _ := fixture(t)
	lists := map[[2]string]map[string]bool{} // city, month → id hashes
	rows, err := r.DB.Query("SELECT city_code, month, id_hash FROM cur_representatives")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c, m, h string
		if err := rows.Scan(&c, &m, &h); err != nil {
			t.Fatal(err)
		}
		k := [2]string{c, m}
		if lists[k] == nil {
			lists[k] = map[string]bool{}
		}
		lists[k][h] = true
	}
	rows.Close()
	changes := 0
	for i, m := range months[1:] {
		prev := months[i]
		res := named(t, r, "rep_changes", "month", m)
		vals := values(t, r.DB, m)
		code, kind := res.col(t, "城市代码"), res.col(t, "变动")
		got := map[[2]string]int{}
		for _, row := range res.rows {
			got[[2]string{row[code].(string), row[kind].(string)}]++
		}
		for _, c := range spec.Load().Cities {
			cur, old := lists[[2]string{c.Code, m}], lists[[2]string{c.Code, prev}]
			in, out := 0, 0
			if cur != nil && old != nil {
				for h := range cur {
					if !old[h] {
						in++
					}
				}
				for h := range old {
					if !cur[h] {
						out++
					}
				}
			}
			if got[[2]string{c.Code, "新纳入"}] != in || got[[2]string{c.Code, "退出"}] != out {
				t.Errorf("%s %s: %d in, %d out; want %d, %d", m, c.Name, got[[2]string{c.Code, "新纳入"}], got[[2]string{c.Code, "退出"}], in, out)
			}
			if cur != nil && old != nil && (vals[c.Code]["rep_entries"] != float64(in) || vals[c.Code]["rep_exits"] != float64(out)) {
				t.Errorf("%s %s: stored entries %v exits %v, want %d %d", m, c.Name, vals[c.Code]["rep_entries"], vals[c.Code]["rep_exits"], in, out)
			}
			changes += in + out
		}
	}
	if changes == 0 {
		t.Error("no entry or exit in the fixture")
	}
}

// submissions: the 14 cities with what they sent, as the submissions
// table and the stored indicators say.
func TestSubmissions(t *testing.T) {
	r, b := fixture(t)
	skipped := map[string]bool{}
	for _, s := range b.Summary.Skipped {
		skipped[s] = true
	}
	for _, m := range months {
		res := named(t, r, "submissions", "month", m)
		book := spec.Load()
		if len(res.rows) != len(book.Cities) {
			t.Fatalf("%s: %d rows", m, len(res.rows))
		}
		col := func(n string) int { return res.col(t, n) }
		for i, row := range res.rows {
			c := book.Cities[i]
			if row[col("城市代码")] != c.Code || row[col("城市")] != c.Name {
				t.Fatalf("%s row %d: %v %v, want %s", m, i, row[0], row[1], c.Name)
			}
			accepted := count(t, r.DB, "SELECT count(*) FROM cur_submissions WHERE month = ? AND city_code = ?", m, c.Code) == 1
			if row[col("已报送")] != accepted || accepted == skipped[c.Name+" "+m] {
				t.Errorf("%s %s: 已报送 %v, accepted %v, skipped %v", m, c.Name, row[col("已报送")], accepted, skipped[c.Name+" "+m])
			}
			attempts := count(t, r.DB, "SELECT count(*) FROM submissions WHERE month = ? AND city_code = ? AND outcome <> 'unchanged'", m, c.Code)
			if got := row[col("报送次数")].(int64); got != attempts {
				t.Errorf("%s %s: %d attempts, want %d", m, c.Name, got, attempts)
			}
			var outcome string
			var errs int64
			if attempts > 0 {
				if err := r.DB.QueryRow("SELECT outcome, errors FROM submissions WHERE month = ? AND city_code = ? AND outcome <> 'unchanged' ORDER BY id DESC LIMIT 1", m, c.Code).Scan(&outcome, &errs); err != nil {
					t.Fatal(err)
				}
				if row[col("最近一次错误数")] != errs {
					t.Errorf("%s %s: errors %v, want %d", m, c.Name, row[col("最近一次错误数")], errs)
				}
			}
			want := map[string]string{"": "未报送", "accepted": "已接收", "rejected": "被拒收", "superseded": "已接收（已被更正替换）"}[outcome]
			if row[col("最近一次结果")] != want {
				t.Errorf("%s %s: outcome %v, want %s", m, c.Name, row[col("最近一次结果")], want)
			}
			if accepted {
				if _, ok := row[col("填报日期")].(time.Time); !ok || row[col("填报人")] == nil {
					t.Errorf("%s %s: 填报日期 %v 填报人 %v", m, c.Name, row[col("填报日期")], row[col("填报人")])
				}
			}
		}
	}
	if len(skipped) == 0 {
		t.Error("fixture: no skipped month")
	}
	// A rejected attempt after the accepted workbook: the city still
	// submitted, its latest attempt was refused with its errors.
	rr := withLateRejection(t)
	res := named(t, rr, "submissions", "month", "2026-01")
	row := res.rows[0]
	if row[res.col(t, "城市")] != "沈阳市" || row[res.col(t, "已报送")] != true || row[res.col(t, "最近一次结果")] != "被拒收" ||
		row[res.col(t, "最近一次错误数")] != int64(1) || row[res.col(t, "最近一次文件")] != "E_CREDIT_CODE.xlsx" || row[res.col(t, "报送次数")].(int64) < 2 {
		t.Errorf("after a late rejection: %v", row)
	}
}

// findings: the latest attempt's findings of each city.
func TestFindings(t *testing.T) {
	r, _ := fixture(t)
	total := 0
	for _, m := range months {
		res := named(t, r, "findings", "month", m)
		want := count(t, r.DB, `SELECT count(*) FROM findings f JOIN (
			SELECT id FROM submissions WHERE month = ? AND outcome <> 'unchanged' AND city_code IS NOT NULL
			QUALIFY row_number() OVER (PARTITION BY city_code ORDER BY id DESC) = 1) l ON l.id = f.submission_id`, m)
		if int64(len(res.rows)) != want {
			t.Errorf("%s: %d findings, want %d", m, len(res.rows), want)
		}
		errs := named(t, r, "findings", "month", m, "severity", "error")
		for _, row := range errs.rows {
			if row[errs.col(t, "类别")] != "错误" {
				t.Errorf("severity=error gave %v", row)
			}
		}
		total += len(errs.rows)
	}
	if total != 0 {
		t.Errorf("%d errors in the latest attempts of the fixture, whose rejected attempts all come first", total)
	}
	rr := withLateRejection(t)
	res := named(t, rr, "findings", "month", "2026-01", "city", "沈阳市", "severity", "error")
	if len(res.rows) != 1 || res.rows[0][res.col(t, "代码")] != "E_CREDIT_CODE" || res.rows[0][res.col(t, "文件名")] != "E_CREDIT_CODE.xlsx" {
		t.Errorf("findings after a late rejection: %v", res.rows)
	}
}

// indicator_rows: exactly the row sets of metrics.Explain.
func TestIndicatorRows(t *testing.T) {
	r, _ := fixture(t)
	ctx := context.Background()
	var most string // the city with the most key contacts
	if err := r.DB.QueryRow("SELECT city_code FROM cur_representatives WHERE month = '2026-03' AND key_contact GROUP BY ALL ORDER BY count(*) DESC, city_code LIMIT 1").Scan(&most); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ city, indicator, set string }{
		{"大连市", "work_coverage", "1"},
		{most, "key_contact_visit_coverage_3m", "1"},
		{"全省", "org_count", "1"},
		{"大连市", "rank", "1"},
	}
	// An indicator with two sets, found rather than assumed.
	for _, d := range metrics.Definitions() {
		if e, err := metrics.Explain(ctx, r.DB, "2026-03", "沈阳市", d.ID); err == nil && len(e.Sets) == 2 {
			cases = append(cases, struct{ city, indicator, set string }{"沈阳市", d.ID, "2"})
			break
		}
	}
	if len(cases) != 5 {
		t.Fatal("no indicator with two row sets")
	}
	for _, tc := range cases {
		res := named(t, r, "indicator_rows", "month", "2026-03", "city", tc.city, "indicator", tc.indicator, "set", tc.set)
		e, err := metrics.Explain(ctx, r.DB, "2026-03", tc.city, tc.indicator)
		if err != nil {
			t.Fatal(err)
		}
		i := int(tc.set[0] - '1')
		s := e.Sets[i]
		if strings.Join(res.cols, ",") != strings.Join(s.Columns, ",") || len(res.rows) != len(s.Rows) || len(s.Rows) == 0 {
			t.Errorf("%v: %d rows %v, Explain %d rows %v", tc, len(res.rows), res.cols, len(s.Rows), s.Columns)
			continue
		}
		for j := range s.Rows {
			for k := range s.Rows[j] {
				if sqlval.Plain(s.Rows[j][k]) != res.rows[j][k] {
					t.Errorf("%v row %d col %d: %v, Explain %v", tc, j, k, res.rows[j][k], s.Rows[j][k])
				}
			}
		}
		if !strings.Contains(strings.Join(res.notes, "\n"), s.Title) {
			t.Errorf("%v: notes %v lack the set's title", tc, res.notes)
		}
	}
	q, _ := Lookup("indicator_rows")
	_, err := r.Run(ctx, Request{Query: &q, Args: map[string]string{"month": "2026-03", "city": "沈阳市", "indicator": "org_count", "set": "9"}})
	if err == nil || !strings.Contains(err.Error(), "只有 1 组") {
		t.Errorf("set 9: %v", err)
	}
}

// Every named query runs on every month and city argument form without
// error, and the rows are sorted as documented (city code first).
func TestEveryQueryRuns(t *testing.T) {
	r, _ := fixture(t)
	for _, q := range List() {
		args := []string{"month", "2026-03"}
		if _, ok := q.Param("indicator"); ok {
			args = append(args, "city", "沈阳市", "indicator", "party_org_coverage")
		}
		res := named(t, r, q.Name, args...)
		if len(res.rows) == 0 && q.Name != "findings" {
			t.Errorf("%s: no rows", q.Name)
		}
		if q.Name == "ranking" || q.Name == "indicator_rows" {
			continue
		}
		c := res.col(t, "城市代码")
		if !sort.SliceIsSorted(res.rows, func(i, j int) bool { return res.rows[i][c].(string) < res.rows[j][c].(string) }) {
			t.Errorf("%s: not in city code order", q.Name)
		}
	}
}
