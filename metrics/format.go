package metrics

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"ufa/internal/spec"
)

// Null is how a null value is shown to people.
const Null = "—"

// Display formats a value for people (metrics.md): rates in percent with
// one decimal (63.4%), scores and ratios with two decimals, counts and
// ranks whole; a flag is 是/否 for a city, and for the province the share
// of cities (a mean) or the number of cities (a count).
func Display(d Definition, cityCode string, v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return Null
	}
	x := *v
	province := cityCode == spec.ProvinceCode
	switch d.Unit {
	case UnitRate:
		return Percent(x)
	case UnitRatio, UnitScore:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case UnitFlag:
		switch {
		case province && d.Province == ProvinceMean:
			return Percent(x)
		case province:
			return whole(x)
		case x == 1:
			return "是"
		case x == 0:
			return "否"
		}
		return strconv.FormatFloat(x, 'f', 2, 64)
	default: // count, rank
		return whole(x)
	}
}

// Percent shows a fraction as a percentage with one decimal: 0.634 → 63.4%.
func Percent(x float64) string { return strconv.FormatFloat(x*100, 'f', 1, 64) + "%" }

func whole(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// Machine formats a value for csv and json: full precision, no exponent,
// "" for null; rates stay fractions.
func Machine(v *float64) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return ""
	}
	return fmtFloat(*v)
}

// Cell formats a value of an explanation's rows for people.
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "是"
		}
		return "否"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case float64:
		// Four decimals are plenty for people; JSON keeps full precision.
		s := strconv.FormatFloat(x, 'f', 4, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		if s == "-0" {
			s = "0"
		}
		return s
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}
