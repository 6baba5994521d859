package testbook

import (
	"testing"
	"time"

	"ufa/internal/codes"
)

func TestCodesValid(t *testing.T) {
	ref := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	for i := 0; i < OrgCount; i++ {
		if p := codes.CreditProblem(Org(i)); p != "" {
			t.Errorf("Org(%d) %s: %s", i, Org(i), p)
		}
	}
	for i := 0; i < RepCount; i++ {
		if p := codes.IDProblem(Rep(i), ref); p != "" {
			t.Errorf("Rep(%d) %s: %s", i, Rep(i), p)
		}
	}
	if codes.CreditProblem("51210100MJ0000018U") != "" || codes.CreditProblem("51210100MJ0000018W") != "check" {
		t.Error("spec examples of credit codes")
	}
	if codes.IDProblem("210102199003071233", ref) != "" || codes.IDProblem("210102199002301236", ref) != "birth" {
		t.Error("spec examples of ID numbers")
	}
	if !codes.IDMale(Rep(0)) || codes.IDMale(Rep(1)) || !codes.IDMale(Rep(2)) {
		t.Error("genders of the fixture")
	}
	if got := codes.MaskID("21010219900307123X"); got != "210102********123X" {
		t.Errorf("MaskID = %s", got)
	}
}
