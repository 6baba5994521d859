package model

import (
	"strings"
	"testing"

	"ufa/internal/testing/testbook"
)

func TestMaskIDs(t *testing.T) {
	id := testbook.Rep(0)
	tests := []struct{ in, want string }{
		{"", ""},
		{id, arrowMasked(id)},
		{"身份证号 " + id + " 不在代表人士表中", "身份证号 " + arrowMasked(id) + " 不在代表人士表中"},
		{"“" + strings.ToLower(id[:17]+"X") + "”", "“" + id[:6] + "********" + id[14:17] + "x”"},
		{"210102800307123", "210102*****7123"},       // old 15-digit number
		{"51210100MJ0000018U", "51210100MJ0000018U"}, // a credit code stays
		{"1234567890123456789", "1234567890123456789"},
		{"第12行", "第12行"},
	}
	for _, tt := range tests {
		if got := MaskIDs(tt.in); got != tt.want {
			t.Errorf("MaskIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func arrowMasked(id string) string { return id[:6] + "********" + id[14:] }
