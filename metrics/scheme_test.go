package metrics

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ufa/internal/sqlfile"
)

func TestDefaultSchemeIsMetricsMd(t *testing.T) {
	s := DefaultScheme()
	want := []SchemeItem{
		{"work_coverage", 20, 1.00, false},
		{"party_org_coverage", 15, 0.60, false},
		{"key_sector_work_coverage", 10, 1.00, false},
		{"key_contact_visit_coverage_3m", 15, 1.00, false},
		{"training_coverage_ytd", 10, 0.80, true},
		{"reps_per_100_orgs", 5, 10, false},
		{"suggestions_per_100_reps_ytd", 5, 30, true},
		{"nominations_per_100_reps_ytd", 5, 5, true},
		{"non_party_leader_org_ratio", 5, 0.30, false},
		{"mechanism_completeness", 5, 1.00, false},
		{"on_time", 5, 1, false},
	}
	if len(s.Items) != len(want) {
		t.Fatalf("default scheme has %d items, want %d", len(s.Items), len(want))
	}
	for i, it := range s.Items {
		if it != want[i] {
			t.Errorf("item %d = %+v, want %+v", i, it, want[i])
		}
	}
	if s.DeadlineDay != 5 {
		t.Errorf("deadline day %d, want 5", s.DeadlineDay)
	}
	if got := s.Deadline(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)); got.Format("2006-01-02") != "2026-11-05" {
		t.Errorf("deadline of 2026-10 = %s", got.Format("2006-01-02"))
	}
	if got := s.Deadline(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); got.Format("2006-01-02") != "2027-01-05" {
		t.Errorf("deadline of 2026-12 = %s", got.Format("2006-01-02"))
	}
}

func TestSchemeDeadlineClampsToMonthEnd(t *testing.T) {
	s, err := ParseScheme([]byte("deadline_day: 31\nindicators:\n  - {indicator: work_coverage, weight: 100, target: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	// The month after 2026-01 is February (28 days in 2026).
	if got := s.Deadline(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); got.Format("2006-01-02") != "2026-02-28" {
		t.Errorf("deadline = %s, want 2026-02-28", got.Format("2006-01-02"))
	}
	if s.Name != "未命名考核方案" {
		t.Errorf("name %q", s.Name)
	}
}

func TestProratedTarget(t *testing.T) {
	it := SchemeItem{Indicator: "training_coverage_ytd", Weight: 10, Target: 0.8, Prorated: true}
	// Month 3: 0.8 × 3 / 12 = 0.2.
	if got := it.TargetIn(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); math.Abs(got-0.2) > 1e-12 {
		t.Errorf("target in March = %v", got)
	}
	v := 0.1
	// 10 × min(1, 0.1 / 0.2) = 5.
	if got := Points(it, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), &v, false, 14); math.Abs(got-5) > 1e-12 {
		t.Errorf("points = %v, want 5", got)
	}
	if got := Points(it, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), nil, false, 14); got != 0 {
		t.Errorf("null earns %v, want 0", got)
	}
	onTime := SchemeItem{Indicator: "on_time", Weight: 5, Target: 1}
	seven := 7.0
	// The province's on_time is a count of cities: 7 of 14 is 0.5 → 2.5.
	if got := Points(onTime, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), &seven, true, 14); got != 2.5 {
		t.Errorf("province on_time points = %v, want 2.5", got)
	}
}

func TestSchemeFileCustom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "方案.yaml")
	text := `# 2027 年试行方案
name: 试行方案
deadline_day: 10
indicators:
  - indicator: work_coverage
    weight: 40
    target: 0.9
  - indicator: suggestions_per_100_reps_ytd
    weight: 33.3
    target: 24
    prorated: true
  - indicator: visit_count
    weight: 26.7
    target: 4
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseScheme(data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "试行方案" || s.DeadlineDay != 10 || len(s.Items) != 3 {
		t.Fatalf("scheme = %+v", s)
	}
	if s.Items[1] != (SchemeItem{"suggestions_per_100_reps_ytd", 33.3, 24, true}) {
		t.Errorf("item 2 = %+v", s.Items[1])
	}
	if string(s.YAML()) != text {
		t.Error("YAML() is not the file's text")
	}
}

func TestSchemeRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		want []string // every fragment must be in the message
	}{
		{"empty", "", []string{"文件为空"}},
		{"not yaml", "indicators: [", []string{"不是有效的方案 YAML"}},
		{"unknown field", "indicators:\n  - {indicator: work_coverage, weigth: 100, target: 1}\n", []string{"不是有效的方案 YAML", "weigth"}},
		{"no indicators", "name: x\n", []string{"没有列出任何评分指标"}},
		{"weights sum", "indicators:\n  - {indicator: work_coverage, weight: 60, target: 1}\n  - {indicator: on_time, weight: 30, target: 1}\n",
			[]string{"各项权重之和为 90，应为 100"}},
		{"unknown indicator", "indicators:\n  - {indicator: work_coverge, weight: 100, target: 1}\n",
			[]string{"第 1 项的指标 \"work_coverge\" 不是已知指标", "ufa metrics --list"}},
		{"score in scheme", "indicators:\n  - {indicator: score, weight: 100, target: 1}\n", []string{"不能参与评分"}},
		{"duplicate", "indicators:\n  - {indicator: on_time, weight: 50, target: 1}\n  - {indicator: on_time, weight: 50, target: 1}\n",
			[]string{"与第 1 项重复"}},
		{"zero target", "indicators:\n  - {indicator: work_coverage, weight: 100, target: 0}\n", []string{"目标值为 0，应为正数"}},
		{"negative target", "indicators:\n  - {indicator: work_coverage, weight: 100, target: -0.5}\n", []string{"目标值为 -0.5，应为正数"}},
		{"missing target", "indicators:\n  - {indicator: work_coverage, weight: 100}\n", []string{"缺少目标值 target"}},
		{"negative weight", "indicators:\n  - {indicator: work_coverage, weight: 110, target: 1}\n  - {indicator: on_time, weight: -10, target: 1}\n",
			[]string{"权重为 -10，应为正数"}},
		{"prorated snapshot", "indicators:\n  - {indicator: work_coverage, weight: 100, target: 1, prorated: true}\n", []string{"不能按月折算"}},
		{"deadline", "deadline_day: 0\nindicators:\n  - {indicator: work_coverage, weight: 100, target: 1}\n", []string{"deadline_day 为 0"}},
		{"several at once", "indicators:\n  - {indicator: nope, weight: 50, target: 1}\n  - {indicator: on_time, weight: 40, target: 0}\n",
			[]string{"1. ", "2. ", "3. ", "nope", "目标值为 0", "之和为 90"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseScheme([]byte(tc.yaml))
			if err == nil {
				t.Fatalf("accepted: %+v", s)
			}
			var se *SchemeError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v is not a SchemeError", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "考核方案有误：") {
				t.Errorf("message %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestDefinitions(t *testing.T) {
	defs := Definitions()
	// metrics.md: 22 snapshot, 16 month and window, 4 submission
	// indicators, plus score and rank.
	if len(defs) != 44 {
		t.Errorf("%d definitions, want 44", len(defs))
	}
	seen := map[string]bool{}
	for _, d := range defs {
		if seen[d.ID] {
			t.Errorf("%s twice", d.ID)
		}
		seen[d.ID] = true
		if d.Name == "" || d.Group == "" || d.Unit == "" {
			t.Errorf("%s: incomplete %+v", d.ID, d)
		}
		if d.Scored() && len(d.rows) == 0 {
			t.Errorf("%s has no @rows for Explain", d.ID)
		}
		if strings.HasSuffix(d.ID, "_ytd") != (d.Window == "ytd") || strings.HasSuffix(d.ID, "_3m") != (d.Window == "3m") {
			t.Errorf("%s: window %q", d.ID, d.Window)
		}
		for _, r := range d.rows {
			if strings.Count(r.sql, "?") != 1 {
				t.Errorf("%s: @rows %s has %d placeholders, want 1", d.ID, r.title, strings.Count(r.sql, "?"))
			}
		}
	}
	if d, ok := Lookup("reps_per_100_orgs"); !ok || d.Scale != 100 || !d.IsRatio() || d.Unit != UnitRatio {
		t.Errorf("reps_per_100_orgs = %+v", d)
	}
	if d, _ := Lookup("org_count"); d.IsRatio() {
		t.Error("org_count is not a ratio")
	}
}

func TestParseDefinitionRefuses(t *testing.T) {
	for name, text := range map[string]string{
		"no name":        "-- unit: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n",
		"bad unit":       "-- name: x\n-- unit: percent\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n",
		"no value":       "-- name: x\n-- unit: count\n-- group: g\n-- province: union\n",
		"half a ratio":   "-- name: x\n-- unit: rate\n-- group: g\n-- province: union\n-- numerator: a\n-- @value\nSELECT 1\n",
		"untitled rows":  "-- name: x\n-- unit: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n-- @rows\nSELECT 2\n",
		"unknown header": "-- name: x\n-- units: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n",
	} {
		if _, err := parseText("sql/x.sql", text); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A refused indicator file names the line to mend, as file:line.
func TestParseDefinitionLines(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"-- name: x\n-- units: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n", `sql/x.sql:2: unknown header "units"`},
		{"-- name: x\n-- unit: count\n-- order: first\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n", `sql/x.sql:3: order "first" is not a number`},
		{"-- name: x\n-- unit: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n-- @rows\nSELECT 2\n", "sql/x.sql:7: @rows needs a title"},
		{"-- name: x\n-- unit: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n-- @value\nSELECT 2\n", "sql/x.sql:7: @value must be the first section"},
		{"-- name: x\n-- unit: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n-- @total\nSELECT 2\n", "sql/x.sql:7: unknown section @total"},
		{"-- name: x\n-- unit: count\n-- group: g\n-- province: union\n\nSELECT 1\n-- @value\nSELECT 1\n", "sql/x.sql:6: SQL before the first section"},
		{"-- name: x\n-- unit: count\n-- group: g\n-- province: union\nSELECT 1\n", "sql/x.sql:5: SQL before the @value section"},
		{"-- name: x\n-- unit: count\n-- group: g\n-- province: union\n-- @value\n\n-- @rows 行\nSELECT 2\n", "sql/x.sql:5: empty section 1"},
	} {
		_, err := parseText("sql/x.sql", c.text)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
		var fe *sqlfile.Error
		if !errors.As(err, &fe) || fe.File != "sql/x.sql" {
			t.Errorf("%q: %v is not a *sqlfile.Error", c.text, err)
		}
	}
}

func parseText(name, text string) (Definition, error) {
	f, err := sqlfile.Parse(name, text)
	if err != nil {
		return Definition{}, err
	}
	return parseDefinition(f)
}
