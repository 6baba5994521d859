package dashboards

import (
	"math"
	"strconv"
	"strings"
)

// dash is shown for a null value.
const dash = "—"

// round rounds half away from zero to n decimals.
func round(x float64, n int) float64 {
	p := math.Pow(10, float64(n))
	r := math.Round(x*p) / p
	if r == 0 {
		return 0 // no "-0.0"
	}
	return r
}

// fixed formats x with n decimals, never "-0.0".
func fixed(x float64, n int) string {
	return strconv.FormatFloat(round(x, n), 'f', n, 64)
}

// grouped formats an integer with thousands separators: 28,900.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatValue formats a value of the given kind for a table cell.
func formatValue(k Kind, x float64, ok bool) string {
	if !ok {
		return dash
	}
	switch k {
	case KindRate:
		return fixed(x*100, 1) + "%"
	case KindScore:
		return fixed(x, 2)
	case KindRatio:
		return fixed(x, 2)
	case KindRank:
		return "第 " + strconv.Itoa(int(math.Round(x))) + " 名"
	default:
		if x != math.Trunc(x) {
			return fixed(x, 1) // a province mean of a flag, say
		}
		return grouped(int64(x))
	}
}

// formatFlag formats a city's 1/0 value as 是/否.
func formatFlag(x float64, ok bool) string {
	switch {
	case !ok:
		return dash
	case x >= 0.5:
		return "是"
	default:
		return "否"
	}
}

// formatChange formats the change from the previous month: percentage
// points for rates, plain differences otherwise. Empty when either is null.
func formatChange(k Kind, cur, prev float64, okCur, okPrev bool) (text string, sign int) {
	if !okCur || !okPrev {
		return "", 0
	}
	var diff float64
	var s string
	switch k {
	case KindRate:
		diff = round((cur-prev)*100, 1)
		s = fixed(math.Abs(diff), 1) + " 个百分点"
	case KindScore:
		diff = round(cur-prev, 2)
		s = fixed(math.Abs(diff), 2)
	case KindRatio:
		diff = round(cur-prev, 2)
		s = fixed(math.Abs(diff), 2)
	default:
		diff = round(cur-prev, 1)
		if diff == math.Trunc(diff) {
			s = grouped(int64(math.Abs(diff)))
		} else {
			s = fixed(math.Abs(diff), 1)
		}
	}
	switch {
	case diff > 0:
		return "较上月 ▲ " + s, 1
	case diff < 0:
		return "较上月 ▼ " + s, -1
	default:
		return "与上月持平", 0
	}
}

// chartValue is a value as a chart gets it: rates in percent rounded to one
// decimal, scores to two, others to one; "-" (ECharts' empty value) for null.
func chartValue(k Kind, x float64, ok bool) any {
	if !ok {
		return "-"
	}
	switch k {
	case KindRate:
		return round(x*100, 1)
	case KindScore:
		return round(x, 2)
	default:
		return round(x, 1)
	}
}

// monthLabel turns 2026-10 into 2026年10月.
func monthLabel(m string) string {
	if len(m) != 7 {
		return m
	}
	mm := strings.TrimPrefix(m[5:], "0")
	return m[:4] + "年" + mm + "月"
}

// shortMonth turns 2026-10 into 10月.
func shortMonth(m string) string {
	if len(m) != 7 {
		return m
	}
	return strings.TrimPrefix(m[5:], "0") + "月"
}
