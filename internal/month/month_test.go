package month

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2026-10", true}, {"1999-01", true},
		{"2026-1", false}, {"2026/10", false}, {"2026-13", false}, {"26-10", false},
		{" 2026-10", false}, {"2026-10-01", false}, {"", false},
	}
	for _, tt := range tests {
		m, err := Parse(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("Parse(%q) err = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		var me *Error
		if !tt.ok && (!errors.As(err, &me) || me.Input != tt.in) {
			t.Errorf("Parse(%q) err = %#v, want *Error with the input", tt.in, err)
		}
		if tt.ok && m.String() != tt.in {
			t.Errorf("Parse(%q).String() = %q", tt.in, m)
		}
	}
}

func TestParseLoose(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-10", "2026-10"}, {"2026/1", "2026-01"}, {"2026.10", "2026-10"},
		{"2026年10月", "2026-10"}, {"2026 年 3 月", "2026-03"}, {"202610", "2026-10"}, {" 2026-10 ", "2026-10"},
		{"202613", ""}, {"1899-12", ""}, {"2026", ""}, {"10/2026", ""}, {"2026-10-01", ""}, {"", ""},
	}
	for _, tt := range tests {
		m, ok := ParseLoose(tt.in)
		got := ""
		if ok {
			got = m.String()
		} else if !m.Start().IsZero() {
			t.Errorf("ParseLoose(%q) failed but gave %v", tt.in, m.Start())
		}
		if got != tt.want {
			t.Errorf("ParseLoose(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestArithmetic(t *testing.T) {
	m, _ := Parse("2026-01")
	if got := m.Add(-1).String(); got != "2025-12" {
		t.Errorf("Add(-1) = %s", got)
	}
	if got := m.Add(13).String(); got != "2027-02" {
		t.Errorf("Add(13) = %s", got)
	}
	if got, want := m.End(), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("End = %v", got)
	}
	if got := Of(time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC)).String(); got != "2026-10" {
		t.Errorf("Of = %s", got)
	}
	if !m.Before(m.Add(1)) || m.Add(1).Before(m) || m.Year() != 2026 || m.Month() != time.January {
		t.Error("Before/Year/Month")
	}
	if !(Month{}).IsZero() || m.IsZero() {
		t.Error("IsZero")
	}
}
