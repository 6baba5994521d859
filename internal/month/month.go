package month

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Layout is the canonical form, for time.Format.
const Layout = "2006-01"

// Month is a calendar month. The zero Month is no month: its Start is the
// zero time.
type Month struct {
	t time.Time // the first day, 00:00 UTC
}

// Error is a month that could not be read.
type Error struct {
	Input string
}

func (e *Error) Error() string { return fmt.Sprintf("month %q is not YYYY-MM", e.Input) }

// Of is the month of t (in t's location).
func Of(t time.Time) Month { return New(t.Year(), t.Month()) }

// New is the month m of year y (m out of 1..12 carries into the year).
func New(y int, m time.Month) Month {
	return Month{time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)}
}

// Parse reads YYYY-MM exactly (4-digit year, 2-digit month).
func Parse(s string) (Month, error) {
	t, err := time.Parse(Layout, s)
	if err != nil || t.Format(Layout) != s {
		return Month{}, &Error{Input: s}
	}
	return Month{t}, nil
}

// ParseLoose reads a month as a clerk writes it: 2026-10, 2026/10,
// 2026.10, 2026年10月, 202610, the month with or without its leading
// zero, spaces around the parts ignored; the year from 1900 to 2999.
func ParseLoose(s string) (Month, bool) {
	s = strings.TrimSpace(s)
	var ys, ms string
	switch {
	case len(s) == 6 && allDigits(s):
		ys, ms = s[:4], s[4:]
	case strings.HasSuffix(s, "月") && strings.Contains(s, "年"):
		ys, ms, _ = strings.Cut(strings.TrimSuffix(s, "月"), "年")
	default:
		i := strings.IndexAny(s, "-/.")
		if i < 0 {
			return Month{}, false
		}
		ys, ms = s[:i], s[i+1:]
	}
	ys, ms = strings.TrimSpace(ys), strings.TrimSpace(ms)
	if len(ys) != 4 || len(ms) < 1 || len(ms) > 2 || !allDigits(ys) || !allDigits(ms) {
		return Month{}, false
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	if y < 1900 || y > 2999 || m < 1 || m > 12 {
		return Month{}, false
	}
	return New(y, time.Month(m)), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// String is YYYY-MM.
func (m Month) String() string { return m.t.Format(Layout) }

// IsZero says m is no month.
func (m Month) IsZero() bool { return m.t.IsZero() }

// Start is the month's first day, 00:00 UTC.
func (m Month) Start() time.Time { return m.t }

// End is the first day of the next month: the month is [Start, End).
func (m Month) End() time.Time { return m.t.AddDate(0, 1, 0) }

// Add is the month n months later (earlier for negative n).
func (m Month) Add(n int) Month { return Month{m.t.AddDate(0, n, 0)} }

// Year is the month's year.
func (m Month) Year() int { return m.t.Year() }

// Month is the month of the year.
func (m Month) Month() time.Month { return m.t.Month() }

// Before says m comes before o.
func (m Month) Before(o Month) bool { return m.t.Before(o.t) }
