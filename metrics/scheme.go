package metrics

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Scheme is the assessment scheme (考核方案): which indicators enter the
// composite score, with what weight and target, and the deadline day that
// decides on_time. It is data: the default is built in and the provincial
// office can give its own YAML file.
type Scheme struct {
	Name string
	// DeadlineDay is the day of the month after the reporting month by which
	// a workbook is due (1–31; past the month's end means its last day).
	DeadlineDay int
	Items       []SchemeItem
	source      []byte // the YAML it was read from, stored with the values
}

// SchemeItem is one scored indicator.
type SchemeItem struct {
	Indicator string
	Weight    float64
	// Target is the value that earns the full weight; for a prorated ytd
	// indicator it is annual and month k uses Target × k / 12.
	Target   float64
	Prorated bool
}

// YAML returns the scheme's source text (for the default scheme, the
// built-in file).
func (s *Scheme) YAML() []byte { return bytes.Clone(s.source) }

// TargetIn returns the item's target for a month, prorated when asked.
func (it SchemeItem) TargetIn(month time.Time) float64 {
	if it.Prorated {
		return it.Target * float64(month.Month()) / 12
	}
	return it.Target
}

// Deadline returns the day a month's workbook is due: DeadlineDay of the
// next month, or that month's last day when it is shorter.
func (s *Scheme) Deadline(month time.Time) time.Time {
	next := time.Date(month.Year(), month.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	last := next.AddDate(0, 1, -1).Day()
	return time.Date(next.Year(), next.Month(), min(s.DeadlineDay, last), 0, 0, 0, 0, time.UTC)
}

//go:embed default_scheme.yaml
var defaultSchemeYAML []byte

// DefaultScheme returns the scheme of metrics.md.
func DefaultScheme() *Scheme {
	s, err := ParseScheme(defaultSchemeYAML)
	if err != nil {
		// Embedded at build time and covered by the tests.
		panic(fmt.Sprintf("metrics: built-in scheme: %v", err))
	}
	return s
}

// DefaultSchemeYAML returns the text of the built-in scheme, a starting
// point for the office's own file.
func DefaultSchemeYAML() []byte { return bytes.Clone(defaultSchemeYAML) }

// The file's shape. Pointers tell a missing value from a zero.
type schemeFile struct {
	Name        string       `yaml:"name"`
	DeadlineDay *int         `yaml:"deadline_day"`
	Indicators  []schemeLine `yaml:"indicators"`
}

type schemeLine struct {
	Indicator string   `yaml:"indicator"`
	Weight    *float64 `yaml:"weight"`
	Target    *float64 `yaml:"target"`
	Prorated  bool     `yaml:"prorated"`
}

// SchemeError lists everything wrong with a scheme file, in Chinese.
type SchemeError struct{ Problems []string }

func (e *SchemeError) Error() string {
	if len(e.Problems) == 1 {
		return "考核方案有误：" + e.Problems[0]
	}
	var b strings.Builder
	b.WriteString("考核方案有误：")
	for i, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %d. %s", i+1, p)
	}
	return b.String()
}

// defaultDeadlineDay is submission.md's "by the 5th of the next month".
const defaultDeadlineDay = 5

// ParseScheme reads and checks a scheme file: weights positive and summing
// to 100, indicators known (and not score or rank) and listed once,
// targets positive, prorating only for ytd indicators, deadline day 1–31.
// All problems are reported at once.
func ParseScheme(data []byte) (*Scheme, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &SchemeError{[]string{"文件为空；可以从默认方案（ufa metrics --show-scheme）复制后修改"}}
	}
	var f schemeFile
	if err := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField()).Decode(&f); err != nil {
		return nil, &SchemeError{[]string{fmt.Sprintf(
			"文件不是有效的方案 YAML（请检查缩进、冒号和字段名；顶层字段只能是 name、deadline_day、indicators，"+
				"每项指标只能有 indicator、weight、target、prorated）：%s", oneLine(err.Error()))}}
	}
	s := &Scheme{Name: strings.TrimSpace(f.Name), DeadlineDay: defaultDeadlineDay, source: bytes.Clone(data)}
	if s.Name == "" {
		s.Name = "未命名考核方案"
	}
	var problems []string
	if f.DeadlineDay != nil {
		if *f.DeadlineDay < 1 || *f.DeadlineDay > 31 {
			problems = append(problems, fmt.Sprintf("报送截止日 deadline_day 为 %d，应为 1 到 31 之间的整数（次月的第几日）", *f.DeadlineDay))
		}
		s.DeadlineDay = *f.DeadlineDay
	}
	if len(f.Indicators) == 0 {
		problems = append(problems, "没有列出任何评分指标（indicators）")
	}
	defs := map[string]Definition{}
	for _, d := range Definitions() {
		defs[d.ID] = d
	}
	seen := map[string]int{}
	sum := 0.0
	for i, l := range f.Indicators {
		at := fmt.Sprintf("第 %d 项", i+1)
		id := strings.TrimSpace(l.Indicator)
		d, known := defs[id]
		switch {
		case id == "":
			problems = append(problems, at+"缺少指标编号 indicator")
		case !known:
			problems = append(problems, fmt.Sprintf("%s的指标 %q 不是已知指标；可用的指标编号见 ufa metrics --list", at, id))
		case !d.Scored():
			problems = append(problems, fmt.Sprintf("%s的 %q（%s）由方案计算得出，不能参与评分", at, id, d.Name))
		case seen[id] > 0:
			problems = append(problems, fmt.Sprintf("%s的指标 %s 与第 %d 项重复；每个指标只能列一次", at, id, seen[id]))
		default:
			seen[id] = i + 1
			at = fmt.Sprintf("%s（%s %s）", at, id, d.Name)
		}
		it := SchemeItem{Indicator: id, Prorated: l.Prorated}
		switch {
		case l.Weight == nil:
			problems = append(problems, at+"缺少权重 weight")
		case !(*l.Weight > 0) || math.IsInf(*l.Weight, 0):
			problems = append(problems, fmt.Sprintf("%s的权重为 %s，应为正数", at, num(*l.Weight)))
		default:
			it.Weight = *l.Weight
			sum += it.Weight
		}
		switch {
		case l.Target == nil:
			problems = append(problems, at+"缺少目标值 target")
		case !(*l.Target > 0) || math.IsInf(*l.Target, 0):
			problems = append(problems, fmt.Sprintf("%s的目标值为 %s，应为正数（比率写成小数，如 60%% 写 0.60）", at, num(*l.Target)))
		default:
			it.Target = *l.Target
		}
		if l.Prorated && known && d.Window != "ytd" {
			problems = append(problems, at+"不是年度累计指标，不能按月折算；请把 prorated 改为 false")
		}
		s.Items = append(s.Items, it)
	}
	// Weights are usually whole numbers; the tolerance only absorbs the
	// rounding of decimal weights such as 33.3 + 33.3 + 33.4.
	if len(f.Indicators) > 0 && math.Abs(sum-100) > 1e-9 {
		problems = append(problems, fmt.Sprintf("各项权重之和为 %s，应为 100；请调整权重", num(sum)))
	}
	if len(problems) > 0 {
		return nil, &SchemeError{problems}
	}
	return s, nil
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
