package metrics_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/internal/testing/genwh"
	"ufa/metrics"
	"ufa/transform"
)

// Every indicator of docs/metrics.md recomputed by a query
// written here from the contract, over a generated warehouse (four months
// across the turn of the year, with late, corrected, rejected and skipped
// submissions), and compared with what metrics.Compute stored (issue 12).
// The queries read the warehouse's base tables (submissions, the sheet
// tables), not metrics' inputs.sql or sql/*.sql, so that a rule broken in
// one place is caught by the other.
//
// The submission indicators (on_time, submission_count, error_count) are
// recomputed from the submissions table alone, following metrics.md and
// the order of attempts of docs/decisions.md ("One order of attempts"):
// attempts are ordered by submissions.id; a file sent again unchanged is no
// attempt. To give them something to judge beyond the generated history
// (whose latest attempts are all accepted), the test sends 沈阳市 a few
// more workbooks for the first month after the history: one valid but
// filed earlier than the current one, two rejected ones, and one of those
// again unchanged. score and rank are recomputed from the independent
// values, on_time included.

// indepSetup builds the x_* temporary tables for one month on conn.
var indepSetup = []string{
	`CREATE OR REPLACE TEMP TABLE x_p AS SELECT ?::VARCHAR AS month, ?::VARCHAR AS prev, ?::VARCHAR AS w3_first,
	    ?::VARCHAR AS ytd_first, ?::DATE AS month_start, ?::DATE AS w3_start, ?::DATE AS ytd_start, ?::DATE AS next_start`,
	// Cities with an accepted (current) workbook for the month.
	`CREATE OR REPLACE TEMP TABLE x_rc AS
	 SELECT DISTINCT s.city_code FROM submissions s, x_p p WHERE s.outcome = 'accepted' AND s.month = p.month`,
	// Their accepted workbooks of the month and every earlier month.
	`CREATE OR REPLACE TEMP TABLE x_wb AS
	 SELECT s.id, s.city_code, s.month FROM submissions s, x_p p
	 WHERE s.outcome = 'accepted' AND s.month <= p.month AND s.city_code IN (SELECT city_code FROM x_rc)`,
	// Each reporting city counts for itself and for the province.
	`CREATE OR REPLACE TEMP TABLE x_sc AS
	 SELECT city_code, city_code AS scope FROM x_rc UNION ALL SELECT city_code, '210000' FROM x_rc`,
	`CREATE OR REPLACE TEMP TABLE x_scopes AS SELECT DISTINCT scope FROM x_sc`,
	// Organizations once per credit code and scope; a flag holds when any
	// reporting city says so, staff the larger figure.
	`CREATE OR REPLACE TEMP TABLE x_org AS
	 SELECT sc.scope, o.credit_code,
	        bool_or(coalesce(o.has_party_org, false)) AS party,
	        bool_or(coalesce(o.has_party_org, false) OR coalesce(o.has_liaison, false)) AS covered,
	        bool_or(coalesce(o.sector IN ('律师', '公证', '会计', '资产评估', '行业协会商会')
	                OR (o.org_type = '民办非企业单位' AND o.sector IN ('科技', '教育', '文化', '卫生', '体育')), false)) AS ks,
	        bool_or(coalesce(o.non_party_leaders, 0) >= 1) AS npl,
	        max(o.staff_total) AS staff, max(o.non_party_staff) AS nps
	 FROM organizations o JOIN x_wb w ON w.id = o.submission_id JOIN x_sc sc ON sc.city_code = w.city_code, x_p p
	 WHERE w.month = p.month GROUP BY sc.scope, o.credit_code`,
	// Persons once per ID hash and scope.
	`CREATE OR REPLACE TEMP TABLE x_rep AS
	 SELECT sc.scope, r.id_hash,
	        bool_or(coalesce(r.in_talent_pool, false)) AS talent, bool_or(coalesce(r.key_contact, false)) AS kc,
	        bool_or(coalesce(r.is_new_media, false)) AS nm,
	        bool_or(coalesce(r.npc_level, '无') <> '无' OR coalesce(r.cppcc_level, '无') <> '无') AS office
	 FROM representatives r JOIN x_wb w ON w.id = r.submission_id JOIN x_sc sc ON sc.city_code = w.city_code, x_p p
	 WHERE w.month = p.month GROUP BY sc.scope, r.id_hash`,
	// Activities with the windows that hold them: the workbook's month and
	// the date both inside.
	`CREATE OR REPLACE TEMP TABLE x_act AS
	 SELECT sc.scope, a.submission_id, a.activity_id, a."type" AS type, coalesce(a.leader_attended, false) AS leader,
	        w.month = p.month AND a."date" >= p.month_start AND a."date" < p.next_start AS in_m,
	        w.month BETWEEN p.w3_first AND p.month AND a."date" >= p.w3_start AND a."date" < p.next_start AS in3,
	        w.month BETWEEN p.ytd_first AND p.month AND a."date" >= p.ytd_start AND a."date" < p.next_start AS inytd
	 FROM activities a JOIN x_wb w ON w.id = a.submission_id JOIN x_sc sc ON sc.city_code = w.city_code, x_p p`,
	`CREATE OR REPLACE TEMP TABLE x_part AS
	 SELECT a.scope, t.id_hash, a.type, a.in3, a.inytd
	 FROM participants t JOIN x_act a ON a.submission_id = t.submission_id AND a.activity_id = t.activity_id`,
	`CREATE OR REPLACE TEMP TABLE x_sugg AS
	 SELECT sc.scope, coalesce(g.adopted, false) AS adopted
	 FROM suggestions g JOIN x_wb w ON w.id = g.submission_id JOIN x_sc sc ON sc.city_code = w.city_code, x_p p
	 WHERE w.month BETWEEN p.ytd_first AND p.month AND g."date" >= p.ytd_start AND g."date" < p.next_start`,
	`CREATE OR REPLACE TEMP TABLE x_nom AS
	 SELECT sc.scope, g.outcome
	 FROM nominations g JOIN x_wb w ON w.id = g.submission_id JOIN x_sc sc ON sc.city_code = w.city_code, x_p p
	 WHERE w.month BETWEEN p.ytd_first AND p.month AND g."date" >= p.ytd_start AND g."date" < p.next_start`,
	`CREATE OR REPLACE TEMP TABLE x_mech AS
	 SELECT sc.scope, w.month,
	        coalesce(m.sys_friendship, false)::INT + coalesce(m.sys_visits, false)::INT + coalesce(m.sys_information, false)::INT
	        + coalesce(m.sys_training, false)::INT + coalesce(m.sys_role, false)::INT + coalesce(m.sys_commendation, false)::INT AS sys,
	        m.joint_meetings, coalesce(m.budget_included, false)::INT AS budget, m.fulltime_cadres,
	        coalesce(m.federation_established, false)::INT AS fed, m.typical_cases
	 FROM mechanisms m JOIN x_wb w ON w.id = m.submission_id JOIN x_sc sc ON sc.city_code = w.city_code`,
	// Entries and exits: only cities that also have the previous month.
	`CREATE OR REPLACE TEMP TABLE x_sc2 AS
	 SELECT sc.* FROM x_sc sc WHERE sc.city_code IN (SELECT w.city_code FROM x_wb w, x_p p WHERE w.month = p.prev)`,
	`CREATE OR REPLACE TEMP TABLE x_list AS
	 SELECT DISTINCT sc.scope, r.id_hash, w.month = p.month AS now
	 FROM representatives r JOIN x_wb w ON w.id = r.submission_id JOIN x_sc2 sc ON sc.city_code = w.city_code, x_p p
	 WHERE w.month IN (p.month, p.prev)`,
}

// indepQuery: per indicator, SELECT scope, value FROM x_scopes s (one row
// per reporting scope); a ratio with a zero denominator is null.
var indepQuery = map[string]string{
	"org_count":                  `SELECT scope, (SELECT count(*) FROM x_org o WHERE o.scope = s.scope) FROM x_scopes s`,
	"party_org_count":            `SELECT scope, (SELECT count(*) FROM x_org o WHERE o.scope = s.scope AND party) FROM x_scopes s`,
	"party_org_coverage":         `SELECT scope, (SELECT count(*) FILTER (WHERE party)::DOUBLE / nullif(count(*), 0) FROM x_org o WHERE o.scope = s.scope) FROM x_scopes s`,
	"work_covered_count":         `SELECT scope, (SELECT count(*) FROM x_org o WHERE o.scope = s.scope AND covered) FROM x_scopes s`,
	"work_coverage":              `SELECT scope, (SELECT count(*) FILTER (WHERE covered)::DOUBLE / nullif(count(*), 0) FROM x_org o WHERE o.scope = s.scope) FROM x_scopes s`,
	"key_sector_org_count":       `SELECT scope, (SELECT count(*) FROM x_org o WHERE o.scope = s.scope AND ks) FROM x_scopes s`,
	"key_sector_work_coverage":   `SELECT scope, (SELECT count(*) FILTER (WHERE covered)::DOUBLE / nullif(count(*), 0) FROM x_org o WHERE o.scope = s.scope AND ks) FROM x_scopes s`,
	"staff_total":                `SELECT scope, (SELECT coalesce(sum(staff), 0) FROM x_org o WHERE o.scope = s.scope) FROM x_scopes s`,
	"non_party_staff":            `SELECT scope, (SELECT coalesce(sum(nps), 0) FROM x_org o WHERE o.scope = s.scope) FROM x_scopes s`,
	"non_party_leader_org_ratio": `SELECT scope, (SELECT count(*) FILTER (WHERE npl)::DOUBLE / nullif(count(*), 0) FROM x_org o WHERE o.scope = s.scope) FROM x_scopes s`,
	"rep_count":                  `SELECT scope, (SELECT count(*) FROM x_rep r WHERE r.scope = s.scope) FROM x_scopes s`,
	"reps_per_100_orgs": `SELECT scope, 100.0 * (SELECT count(*) FROM x_rep r WHERE r.scope = s.scope)
	                      / nullif((SELECT count(*) FROM x_org o WHERE o.scope = s.scope), 0) FROM x_scopes s`,
	"talent_pool_count":   `SELECT scope, (SELECT count(*) FROM x_rep r WHERE r.scope = s.scope AND talent) FROM x_scopes s`,
	"key_contact_count":   `SELECT scope, (SELECT count(*) FROM x_rep r WHERE r.scope = s.scope AND kc) FROM x_scopes s`,
	"new_media_rep_count": `SELECT scope, (SELECT count(*) FROM x_rep r WHERE r.scope = s.scope AND nm) FROM x_scopes s`,
	"npc_cppcc_rep_count": `SELECT scope, (SELECT count(*) FROM x_rep r WHERE r.scope = s.scope AND office) FROM x_scopes s`,
	"rep_entries": `SELECT scope, CASE WHEN scope IN (SELECT scope FROM x_sc2) THEN
	                  (SELECT count(*) FROM x_list a WHERE a.scope = s.scope AND a.now
	                   AND NOT EXISTS (SELECT 1 FROM x_list b WHERE b.scope = a.scope AND b.id_hash = a.id_hash AND NOT b.now)) END
	                FROM x_scopes s`,
	"rep_exits": `SELECT scope, CASE WHEN scope IN (SELECT scope FROM x_sc2) THEN
	                  (SELECT count(*) FROM x_list a WHERE a.scope = s.scope AND NOT a.now
	                   AND NOT EXISTS (SELECT 1 FROM x_list b WHERE b.scope = a.scope AND b.id_hash = a.id_hash AND b.now)) END
	              FROM x_scopes s`,
	// Per city its own figure; the province the mean (flags, completeness)
	// or the sum (cadres, meetings, cases) over the reporting cities.
	"mechanism_completeness":    `SELECT scope, (SELECT avg(sys / 6.0) FROM x_mech m, x_p p WHERE m.scope = s.scope AND m.month = p.month) FROM x_scopes s`,
	"budget_included":           `SELECT scope, (SELECT avg(budget) FROM x_mech m, x_p p WHERE m.scope = s.scope AND m.month = p.month) FROM x_scopes s`,
	"federation_established":    `SELECT scope, (SELECT avg(fed) FROM x_mech m, x_p p WHERE m.scope = s.scope AND m.month = p.month) FROM x_scopes s`,
	"fulltime_cadres":           `SELECT scope, (SELECT sum(fulltime_cadres) FROM x_mech m, x_p p WHERE m.scope = s.scope AND m.month = p.month) FROM x_scopes s`,
	"joint_meeting_count":       `SELECT scope, (SELECT sum(joint_meetings) FROM x_mech m, x_p p WHERE m.scope = s.scope AND m.month = p.month) FROM x_scopes s`,
	"typical_case_count":        `SELECT scope, (SELECT sum(typical_cases) FROM x_mech m, x_p p WHERE m.scope = s.scope AND m.month = p.month) FROM x_scopes s`,
	"joint_meeting_count_ytd":   `SELECT scope, (SELECT sum(joint_meetings) FROM x_mech m, x_p p WHERE m.scope = s.scope AND m.month BETWEEN p.ytd_first AND p.month) FROM x_scopes s`,
	"activity_count":            `SELECT scope, (SELECT count(*) FROM x_act a WHERE a.scope = s.scope AND in_m) FROM x_scopes s`,
	"visit_count":               `SELECT scope, (SELECT count(*) FROM x_act a WHERE a.scope = s.scope AND in_m AND type = '走访') FROM x_scopes s`,
	"leader_activity_count":     `SELECT scope, (SELECT count(*) FROM x_act a WHERE a.scope = s.scope AND in_m AND leader) FROM x_scopes s`,
	"leader_activity_count_ytd": `SELECT scope, (SELECT count(*) FROM x_act a WHERE a.scope = s.scope AND inytd AND leader) FROM x_scopes s`,
	"key_contact_visit_coverage_3m": `SELECT scope, (SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM x_part t WHERE t.scope = r.scope AND t.id_hash = r.id_hash AND t.in3 AND t.type = '走访'))::DOUBLE
	                                   / nullif(count(*), 0) FROM x_rep r WHERE r.scope = s.scope AND r.kc) FROM x_scopes s`,
	"visits_per_key_contact_3m": `SELECT scope, (SELECT count(*) FROM x_part t JOIN x_rep r ON r.scope = t.scope AND r.id_hash = t.id_hash
	                                             WHERE t.scope = s.scope AND r.kc AND t.in3 AND t.type = '走访')::DOUBLE
	                               / nullif((SELECT count(*) FROM x_rep r WHERE r.scope = s.scope AND r.kc), 0) FROM x_scopes s`,
	"training_coverage_ytd": `SELECT scope, (SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM x_part t WHERE t.scope = r.scope AND t.id_hash = r.id_hash AND t.inytd AND t.type IN ('培训', '研讨学习')))::DOUBLE
	                           / nullif(count(*), 0) FROM x_rep r WHERE r.scope = s.scope) FROM x_scopes s`,
	"suggestion_count_ytd": `SELECT scope, (SELECT count(*) FROM x_sugg g WHERE g.scope = s.scope) FROM x_scopes s`,
	"suggestions_per_100_reps_ytd": `SELECT scope, 100.0 * (SELECT count(*) FROM x_sugg g WHERE g.scope = s.scope)
	                                  / nullif((SELECT count(*) FROM x_rep r WHERE r.scope = s.scope), 0) FROM x_scopes s`,
	"suggestion_adoption_rate_ytd": `SELECT scope, (SELECT count(*) FILTER (WHERE adopted)::DOUBLE / nullif(count(*), 0) FROM x_sugg g WHERE g.scope = s.scope) FROM x_scopes s`,
	"nomination_count_ytd":         `SELECT scope, (SELECT count(*) FROM x_nom g WHERE g.scope = s.scope) FROM x_scopes s`,
	"nominations_per_100_reps_ytd": `SELECT scope, 100.0 * (SELECT count(*) FROM x_nom g WHERE g.scope = s.scope)
	                                  / nullif((SELECT count(*) FROM x_rep r WHERE r.scope = s.scope), 0) FROM x_scopes s`,
	"nomination_success_rate_ytd": `SELECT scope, (SELECT count(*) FILTER (WHERE outcome = '成功')::DOUBLE
	                                 / nullif(count(*) FILTER (WHERE outcome IN ('成功', '未成功')), 0) FROM x_nom g WHERE g.scope = s.scope) FROM x_scopes s`,
	// submitted is 1 or 0 for every city; the province counts them.
	"submitted": `SELECT scope, CASE WHEN scope = '210000' THEN (SELECT count(*) FROM x_rc) ELSE 1 END FROM x_scopes s`,
}

// indepSubSetup builds x_att, the attempts of the month, from the
// submissions table alone. Arguments: month, deadline (the 5th of the next
// month: the default scheme's deadline day).
var indepSubSetup = []string{
	`CREATE OR REPLACE TEMP TABLE x_sp AS SELECT ?::VARCHAR AS month, ?::DATE AS deadline`,
	// An attempt is a workbook checked for the city-month, accepted or
	// rejected; the same file sent again (unchanged) is not one.
	`CREATE OR REPLACE TEMP TABLE x_att AS
	 SELECT s.id, s.city_code, s.errors, s.filed_on, s.outcome IN ('accepted', 'superseded') AS acc
	 FROM submissions s, x_sp p WHERE s.month = p.month AND s.outcome IN ('accepted', 'superseded', 'rejected')`,
}

// indepSubQuery: per submission indicator, SELECT scope, value over x_city
// (the 14 cities and the province): cities that sent nothing have values
// too.
var indepSubQuery = map[string]string{
	// The first accepted workbook in the order of attempts, even if
	// replaced since; 0 when it was filed late, or when there is none.
	"on_time": `WITH v AS (SELECT c.code, coalesce((SELECT a.filed_on <= p.deadline FROM x_att a WHERE a.city_code = c.code AND a.acc
	                                               ORDER BY a.id LIMIT 1), false)::INT AS v
	                       FROM x_city c, x_sp p WHERE c.code <> '210000')
	            SELECT code, v FROM v UNION ALL SELECT '210000', sum(v) FROM v`,
	"submission_count": `WITH v AS (SELECT c.code, (SELECT count(*) FROM x_att a WHERE a.city_code = c.code) AS v
	                                FROM x_city c WHERE c.code <> '210000')
	                     SELECT code, v FROM v UNION ALL SELECT '210000', sum(v) FROM v`,
	// The latest attempt's errors; null for a city that made none, and the
	// province's sum over the cities that made one (null when none did).
	"error_count": `WITH v AS (SELECT c.code, (SELECT a.errors FROM x_att a WHERE a.city_code = c.code ORDER BY a.id DESC LIMIT 1) AS v
	                           FROM x_city c WHERE c.code <> '210000')
	                SELECT code, v FROM v UNION ALL SELECT '210000', sum(v) FROM v`,
}

// The default scheme of metrics.md: weight, target, prorated.
var defaultScheme = []struct {
	id             string
	weight, target float64
	prorated       bool
}{
	{"work_coverage", 20, 1, false},
	{"party_org_coverage", 15, 0.6, false},
	{"key_sector_work_coverage", 10, 1, false},
	{"key_contact_visit_coverage_3m", 15, 1, false},
	{"training_coverage_ytd", 10, 0.8, true},
	{"reps_per_100_orgs", 5, 10, false},
	{"suggestions_per_100_reps_ytd", 5, 30, true},
	{"nominations_per_100_reps_ytd", 5, 5, true},
	{"non_party_leader_org_ratio", 5, 0.3, false},
	{"mechanism_completeness", 5, 1, false},
	{"on_time", 5, 1, false},
}

// checkScores recomputes score and rank from the independent values with
// the default scheme of metrics.md; the province's on_time enters as the
// share of the 14 cities on time.
func checkScores(t *testing.T, month string, book *spec.Book, indep map[string]map[string]*float64, stored map[[2]string]*float64) {
	t.Helper()
	m, _ := time.Parse("2006-01", month)
	k := float64(m.Month())
	scores := map[string]float64{}
	for scope := range indep["org_count"] {
		score := 0.0
		for _, it := range defaultScheme {
			v := indep[it.id][scope]
			if it.id == "on_time" {
				if v != nil && scope == spec.ProvinceCode {
					share := *v / float64(len(book.Cities))
					v = &share
				}
			}
			if v == nil {
				continue
			}
			target := it.target
			if it.prorated {
				target = target * k / 12
			}
			score += it.weight * math.Min(1, *v/target)
		}
		scores[scope] = score
		have := stored[[2]string{scope, "score"}]
		if have == nil || math.Abs(*have-score) > 1e-9 {
			t.Errorf("%s %s score = %v, the contract gives %v", month, scope, have, score)
		}
	}
	var cities []string
	for scope := range scores {
		if scope != spec.ProvinceCode {
			cities = append(cities, scope)
		}
	}
	wc := func(c string) float64 {
		if v := indep["work_coverage"][c]; v != nil {
			return *v
		}
		return -1
	}
	slices.SortFunc(cities, func(a, b string) int {
		return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(wc(b), wc(a)), cmp.Compare(a, b))
	})
	rank := map[string]int{}
	for i, c := range cities {
		rank[c] = i + 1
	}
	for _, c := range book.Cities {
		have := stored[[2]string{c.Code, "rank"}]
		r, ok := rank[c.Code]
		switch {
		case !ok && have != nil:
			t.Errorf("%s %s rank %v, but it did not submit", month, c.Code, *have)
		case ok && (have == nil || *have != float64(r)):
			t.Errorf("%s %s rank %v, the contract gives %d", month, c.Code, have, r)
		}
	}
	if have := stored[[2]string{spec.ProvinceCode, "rank"}]; have != nil {
		t.Errorf("%s province rank %v, want none", month, *have)
	}
	for _, c := range book.Cities {
		if _, ok := scores[c.Code]; !ok && stored[[2]string{c.Code, "score"}] != nil {
			t.Errorf("%s %s has a score but did not submit", month, c.Code)
		}
	}
}

func TestIndicatorsIndependently(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads four months")
	}
	ctx := context.Background()
	dir := t.TempDir()
	b, err := genwh.Build(ctx, spec.Load(), gen.Options{Out: filepath.Join(dir, "gen"), From: "2025-11", To: "2026-02", Seed: 12, Scale: 0.02, Faults: true}, filepath.Join(dir, "ufa.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := transform.Open(ctx, b.DB, transform.Options{Book: spec.Load()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sendMore(t, ctx, w, b, filepath.Join(dir, "gen"))
	conn, err := w.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	for _, d := range metrics.Definitions() {
		_, ok := indepQuery[d.ID]
		_, sub := indepSubQuery[d.ID]
		if !ok && !sub && d.ID != "score" && d.ID != "rank" {
			t.Errorf("indicator %s has no independent query", d.ID)
		}
	}
	book := spec.Load()
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE x_city (code VARCHAR)`); err != nil {
		t.Fatal(err)
	}
	for _, code := range append([]string{spec.ProvinceCode}, cityCodes(book)...) {
		if _, err := conn.ExecContext(ctx, `INSERT INTO x_city VALUES (?)`, code); err != nil {
			t.Fatal(err)
		}
	}
	subSeen := map[string]int{}
	compared, nonzero, missing := 0, 0, 0
	for _, month := range b.Months {
		m, err := time.Parse("2006-01", month)
		if err != nil {
			t.Fatal(err)
		}
		w3 := m.AddDate(0, -2, 0)
		ytd := time.Date(m.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		args := []any{month, m.AddDate(0, -1, 0).Format("2006-01"), w3.Format("2006-01"), ytd.Format("2006-01"),
			m.Format("2006-01-02"), w3.Format("2006-01-02"), ytd.Format("2006-01-02"), m.AddDate(0, 1, 0).Format("2006-01-02")}
		for i, s := range indepSetup {
			var a []any
			if i == 0 {
				a = args
			}
			if _, err := conn.ExecContext(ctx, s, a...); err != nil {
				t.Fatalf("setup %d: %v", i, err)
			}
		}
		for i, s := range indepSubSetup {
			var a []any
			if i == 0 {
				a = []any{month, m.AddDate(0, 1, 4).Format("2006-01-02")}
			}
			if _, err := conn.ExecContext(ctx, s, a...); err != nil {
				t.Fatalf("submission setup %d: %v", i, err)
			}
		}
		vals, err := metrics.Load(ctx, w.DB(), month)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[[2]string]*float64{}
		for _, v := range vals {
			stored[[2]string{v.CityCode, v.Indicator}] = v.Value
		}
		reporting := map[string]bool{}
		indep := map[string]map[string]*float64{}
		queries := maps.Clone(indepQuery)
		maps.Copy(queries, indepSubQuery)
		for id, q := range queries {
			_, sub := indepSubQuery[id]
			got := map[string]*float64{}
			indep[id] = got
			rows, err := conn.QueryContext(ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			for rows.Next() {
				var scope string
				var v sql.NullFloat64
				if err := rows.Scan(&scope, &v); err != nil {
					t.Fatal(err)
				}
				if !sub {
					reporting[scope] = true
				}
				if v.Valid {
					got[scope] = &v.Float64
				} else {
					got[scope] = nil
				}
			}
			if err := rows.Close(); err != nil {
				t.Fatal(err)
			}
			places := []string{spec.ProvinceCode}
			for _, c := range book.Cities {
				places = append(places, c.Code)
			}
			for _, p := range places {
				want, rep := got[p]
				if !rep && id == "submitted" {
					zero := 0.0
					want = &zero
				}
				have, ok := stored[[2]string{p, id}]
				if !ok {
					missing++
					t.Errorf("%s %s %s: not stored", month, p, id)
					continue
				}
				compared++
				switch {
				case want == nil && have != nil:
					t.Errorf("%s %s %s = %v, the contract gives null", month, p, id, *have)
				case want != nil && have == nil:
					t.Errorf("%s %s %s = null, the contract gives %v", month, p, id, *want)
				case want != nil && math.Abs(*want-*have) > 1e-9*math.Max(1, math.Abs(*want)):
					t.Errorf("%s %s %s = %v, the contract gives %v", month, p, id, *have, *want)
				}
				if want != nil && *want != 0 {
					nonzero++
				}
				if sub && want != nil && p != spec.ProvinceCode {
					subSeen[fmt.Sprintf("%s=%v", id, min(*want, 2))]++
				}
			}
		}
		checkScores(t, month, book, indep, stored)
		if len(reporting) < 5 || len(reporting) > 15 {
			t.Errorf("%s: %d reporting scopes: the generated history is too dull", month, len(reporting))
		}
	}
	// The submission indicators must have seen every kind of value: cities
	// on time and not, none, one and several attempts, a latest attempt
	// with and without errors.
	for _, k := range []string{"on_time=0", "on_time=1", "submission_count=0", "submission_count=1", "submission_count=2", "error_count=0", "error_count=1"} {
		if subSeen[k] == 0 {
			t.Errorf("no city-month with %s: the history does not exercise the submission rules (%v)", k, subSeen)
		}
	}
	// And the cases that tell the rules from near misses: a first accepted
	// workbook on time whose correction came after the deadline (on_time
	// judges the first, not the current), one filed on the deadline itself
	// ("not after"), and a latest attempt whose errors differ from the
	// month's first and largest count.
	var corrLate, onDeadline, latestDiffers int
	if err := conn.QueryRowContext(ctx, `
		WITH a AS (SELECT s.*, row_number() OVER (PARTITION BY city_code, month ORDER BY id) AS n,
		                  row_number() OVER (PARTITION BY city_code, month ORDER BY id DESC) AS r,
		                  (strptime(month, '%Y-%m') + INTERVAL 1 MONTH + INTERVAL 4 DAY)::DATE AS deadline
		           FROM submissions s WHERE outcome IN ('accepted', 'superseded', 'rejected') AND city_code IS NOT NULL),
		     f AS (SELECT city_code, month, min(id) AS id FROM a WHERE outcome <> 'rejected' GROUP BY ALL)
		SELECT (SELECT count(*) FROM a JOIN f USING (city_code, month)
		        WHERE a.outcome = 'accepted' AND a.id <> f.id AND a.filed_on > a.deadline
		          AND (SELECT filed_on FROM submissions WHERE id = f.id) <= a.deadline),
		       (SELECT count(*) FROM a WHERE a.id IN (SELECT id FROM f) AND a.filed_on = a.deadline),
		       (SELECT count(*) FROM a l WHERE l.r = 1 AND l.n > 1
		          AND l.errors <> (SELECT max(errors) FROM a b WHERE b.city_code = l.city_code AND b.month = l.month)
		          AND l.errors <> (SELECT errors FROM a b WHERE b.city_code = l.city_code AND b.month = l.month AND b.n = 1))`).
		Scan(&corrLate, &onDeadline, &latestDiffers); err != nil {
		t.Fatal(err)
	}
	if corrLate == 0 || onDeadline == 0 || latestDiffers == 0 {
		t.Errorf("the history lacks a telling case: late corrections of on-time months %d, first accepted filed on the deadline %d, latest errors unlike the first and the largest %d",
			corrLate, onDeadline, latestDiffers)
	}
	t.Logf("%d values compared, %d non-zero; submission values seen %v; late corrections %d, on the deadline %d, latest errors telling %d",
		compared, nonzero, subSeen, corrLate, onDeadline, latestDiffers)
	if nonzero < compared/3 {
		t.Errorf("only %d of %d values non-zero: the generated data does not exercise the rules", nonzero, compared)
	}
}

func cityCodes(book *spec.Book) []string {
	var codes []string
	for _, c := range book.Cities {
		codes = append(codes, c.Code)
	}
	return codes
}

// sendMore sends 沈阳市's fault workbooks of the first month (filed on the
// month's last day) after the generated history: W_OUTLIER passes its
// checks (filed earlier than the current workbook, it is recorded without
// replacing it), then E_CREDIT_CODE and E_DUPLICATE are rejected, and
// E_DUPLICATE sent again is unchanged, no attempt. The latest attempt of
// that city-month thus has errors. Every month is computed again.
func sendMore(t *testing.T, ctx context.Context, w *transform.Warehouse, b *genwh.Built, out string) {
	t.Helper()
	if err := w.UseKey(ctx, genwh.Key); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	for i, code := range []string{"W_OUTLIER", "E_CREDIT_CODE", "E_DUPLICATE", "E_DUPLICATE"} {
		l, err := genwh.Submit(ctx, w, filepath.Join(out, "faults", code+".xlsx"), at.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("sent %s: %s, %d errors", code, l.Outcome, l.Errors)
	}
	for _, month := range b.Months {
		if err := metrics.Compute(ctx, w.DB(), month, nil); err != nil {
			t.Fatal(err)
		}
	}
}
