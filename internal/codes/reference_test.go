package codes

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// Reference values from outside this package. None of the expected check
// characters below comes from CreditCheckChar or IDCheckChar: they are
// published examples or worked out by hand, with the working in the
// comment, so that a wrong weight or a wrong table entry cannot agree with
// itself (issue 12).

// Credit codes (GB 32100-2015). Values: 0–9 → 0–9, A 10 B 11 C 12 D 13
// E 14 F 15 G 16 H 17 J 18 K 19 L 20 M 21 N 22 P 23 Q 24 R 25 T 26 U 27
// W 28 X 29 Y 30. Weights 3^(i-1) mod 31:
// 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28. Check value (31 − S mod 31) mod 31.
var validCredit = []struct{ code, why string }{
	// The contract's example (docs/submission.md, 规则所依据的事实).
	// 5·1 + 1·3 + 2·9 + 1·27 + 0 + 1·26 + 0 + 0 + M21·20 + J18·29 + 0 + 0 + 0 + 0 + 0 + 1·30 + 8·28
	// = 5+3+18+27+26+420+522+30+224 = 1275 = 31·41 + 4; 31 − 4 = 27 → U.
	{"51210100MJ0000018U", "contract example"},
	// No zero anywhere, so each of the 17 weights is multiplied by a non-zero
	// value: a wrong weight changes S by value·Δw ≢ 0 (mod 31, a prime).
	// 5·1 + 1·3 + 2·9 + 1·27 + 1·19 + 3·26 + 8·16 + 2·17 + M21·20 + J18·29
	// + 9·25 + R25·13 + 6·8 + W28·24 + E14·10 + 4·30 + J18·28
	// = 5+3+18+27+19+78+128+34+420+522+225+325+48+672+140+120+504 = 3288
	// = 31·106 + 2; 31 − 2 = 29 → X.
	{"51211382MJ9R6WE4JX", "check X, no zero"},
	// 5·1 + 2·3 + 2·9 + 1·27 + 1·19 + 3·26 + 8·16 + 2·17 + M21·20 + A10·29
	// + 7·25 + K19·13 + L20·8 + T26·24 + H17·10 + 3·30 + 3·28
	// = 5+6+18+27+19+78+128+34+420+290+175+247+160+624+170+90+84 = 2575
	// = 31·83 + 2; 31 − 2 = 29 → X.
	{"52211382MA7KLTH33X", "check X, no zero, 民办非企业单位"},
	// As the second but last body character 8: S = 3288 − J18·28 + 8·28
	// = 3288 − 280 = 3008 = 31·97 + 1; 31 − 1 = 30 → Y (the last letter).
	{"51211382MJ9R6WE48Y", "check Y"},
	// S = 0 → (31 − 0) mod 31 = 0 → check 0.
	{"00000000000000000" + "0", "all zero, check 0"},
}

var invalidCredit = []struct{ code, problem string }{
	{"51210100MJ0000018W", "check"}, // the contract's counter-example
	{"51211382MJ9R6WE4JY", "check"},
	{"51211382MJ9R6WE4J", "length"},
	{"51211382MJ9R6WE4JXX", "length"},
	{"51211382MJ9R6WE4IX", "char"}, // I never occurs
	{"51211382MJ9R6WO4JX", "char"}, // O never occurs
	{"51211382mJ9R6WE4JX", "char"}, // callers upper-case first
	{"5121138AMJ9R6WE4JX", "division"},
	{"51A11382MJ9R6WE4JX", "division"},
}

// ID numbers (GB 11643-1999): weights 2^(18-i) mod 11
// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check "10X98765432"[S mod 11].
var validID = []struct{ id, why string }{
	// The standard's own examples.
	{"11010519491231002X", "GB 11643-1999 example, check X"},
	// The contract's example (docs/submission.md, 规则所依据的事实).
	{"210102199003071233", "contract example"},
	// No zero in the first 17 digits (凌源市 211382, born 1978-11-23).
	// 2·7 + 1·9 + 1·10 + 3·5 + 8·8 + 2·4 + 1·2 + 9·1 + 7·6 + 8·3 + 1·7 + 1·9
	// + 2·10 + 3·5 + 4·8 + 5·4 = 300 before the 17th digit (weight 2).
	// Every residue mod 11, hence every entry of "10X98765432", is used once:
	{"211382197811234517", "S 300+2·1=302, mod 11 = 5 → 1"},
	{"211382197811234525", "S 304, mod 11 = 7 → 5"},
	{"211382197811234533", "S 306, mod 11 = 9 → 3"},
	{"211382197811234541", "S 308, mod 11 = 0 → 1"},
	{"21138219781123455X", "S 310, mod 11 = 2 → X"},
	{"211382197811234568", "S 312, mod 11 = 4 → 8"},
	{"211382197811234576", "S 314, mod 11 = 6 → 6"},
	{"211382197811234584", "S 316, mod 11 = 8 → 4"},
	{"211382197811234592", "S 318, mod 11 = 10 → 2"},
	// With sequence 76x: 300 − 4·8 − 5·4 + 7·8 + 6·4 = 328 before the 17th digit.
	{"211382197811237670", "S 328+2·7=342, mod 11 = 1 → 0"},
	{"211382197811237689", "S 344, mod 11 = 3 → 9"},
	{"211382197811237697", "S 346, mod 11 = 5 → 7"},
	{"21138219781123762X", "S 332, mod 11 = 2 → X"},
}

var refDay = time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)

func TestCreditReference(t *testing.T) {
	for _, c := range validCredit {
		if p := CreditProblem(c.code); p != "" {
			t.Errorf("%s (%s): %q, want valid", c.code, c.why, p)
		}
		if got := CreditCheckChar(c.code[:17]); got != c.code[17] {
			t.Errorf("%s (%s): check %c, want %c", c.code, c.why, got, c.code[17])
		}
	}
	for _, c := range invalidCredit {
		if p := CreditProblem(c.code); p != c.problem {
			t.Errorf("%s: %q, want %q", c.code, p, c.problem)
		}
	}
}

func TestIDReference(t *testing.T) {
	for _, c := range validID {
		if got := IDCheckChar(c.id[:17]); got != c.id[17] {
			t.Errorf("%s (%s): check %c, want %c", c.id, c.why, got, c.id[17])
		}
		if p := IDProblem(c.id, refDay); p != "" {
			t.Errorf("%s (%s): %q, want valid", c.id, c.why, p)
		}
	}
	// 440524188001010014, the standard's other example: its check is right
	// (S 195, mod 11 = 8 → 4), but its holder was born in 1880.
	if got := IDCheckChar("44052418800101001"); got != '4' {
		t.Errorf("440524188001010014: check %c, want 4", got)
	}
	for _, c := range []struct{ id, problem string }{
		{"440524188001010014", "age"},
		{"210102199002301236", "birth"}, // the contract's: checksum right, 1990-02-30 no date
		{"11010519491231002x", "char"},  // callers upper-case first
		{"110105194912310021", "check"},
		{"21138219781123455", "length"},
		{"21138219781123455XX", "length"},
		{"2113821978112345A1", "char"},
		{"21138219781123451Y", "char"},
		// Ages: 18 on the day is in, the day before is out; 100 is in, 101 out.
		{withCheck("21010220080228123"), ""},
		{withCheck("21010220080229123"), "age"}, // a leap day: 17 on 2026-02-28
		{withCheck("21010220080301123"), "age"},
		{withCheck("21010219250301123"), ""},
		{withCheck("21010219250228123"), "age"},
	} {
		if p := IDProblem(c.id, refDay); p != c.problem {
			t.Errorf("%s: %q, want %q", c.id, p, c.problem)
		}
	}
}

// withCheck appends the check character computed by refIDCheck (the
// formula, not the package's table) to 17 digits.
func withCheck(first17 string) string { return first17 + string(refIDCheck(first17)) }

// refCreditCheck and refIDCheck compute the check characters from the
// standards' formulas (weights as powers, not the package's tables).
func refCreditCheck(first17 string) byte {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	s, w := 0, 1
	for i := 0; i < 17; i++ {
		s += strings.IndexByte(alphabet, first17[i]) * w
		w = w * 3 % 31
	}
	return alphabet[(31-s%31)%31]
}

func refIDCheck(first17 string) byte {
	s := 0
	for i := 0; i < 17; i++ {
		w := 1
		for k := 0; k < 17-i; k++ {
			w = w * 2 % 11
		}
		s += int(first17[i]-'0') * w
	}
	// The check value c satisfies S + c ≡ 1 (mod 11); 10 is written X.
	c := (12 - s%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

func randomCredit(r *rand.Rand) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := make([]byte, 17)
	for i := range b {
		if i >= 2 && i < 8 {
			b[i] = byte('0' + r.IntN(10))
		} else {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
	}
	return string(b) + string(refCreditCheck(string(b)))
}

func randomID(r *rand.Rand) string {
	born := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365*75))
	b := []byte("210102" + born.Format("20060102"))
	for range 3 {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return withCheck(string(b))
}

// The formulas agree with the package on many random bodies.
func TestCheckCharsAgreeWithFormula(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2026))
	for range 2000 {
		c := randomCredit(r)
		if got := CreditCheckChar(c[:17]); got != c[17] {
			t.Fatalf("%s: CreditCheckChar %c, formula %c", c[:17], got, c[17])
		}
		id := randomID(r)
		if got := IDCheckChar(id[:17]); got != id[17] {
			t.Fatalf("%s: IDCheckChar %c, formula %c", id[:17], got, id[17])
		}
	}
}

// Every single-character change and every adjacent transposition of a
// valid code is rejected. Why this holds, so that the test asserts a
// fact and not a hope:
//
//   - credit code, substitution at i < 17: S changes by (v'−v)·w_i with
//     0 < |v'−v| < 31 and w_i = 3^(i-1) ≢ 0 mod 31 (31 prime); at i = 17
//     the check character itself differs.
//   - credit code, swap of i, i+1 < 17: S changes by (v_i − v_{i+1})·(w_{i+1} − w_i)
//     = (v_i − v_{i+1})·2·w_i ≢ 0. Swap of body character 17 (weight 28) and the
//     check C: passes only if (C − v_17)(28 − 1) ≡ 0, i.e. C = v_17 (no change).
//   - ID number, the same with mod 11 (prime): weights 2^k ≢ 0, digits
//     differ by at most 9; w_{i+1} − w_i = −w_{i+1} ≢ 0 since w_i = 2·w_{i+1};
//     swapping digit 17 (weight 2) and the check C passes only if C = d_17.
//
// The loops below confirm it empirically on the reference codes and on
// random ones.
func TestEveryTypoRejected(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 31))
	credits := []string{}
	for _, c := range validCredit {
		credits = append(credits, c.code)
	}
	ids := []string{}
	for _, c := range validID {
		ids = append(ids, c.id)
	}
	for range 300 {
		credits = append(credits, randomCredit(r))
		ids = append(ids, randomID(r))
	}
	const creditChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for _, c := range credits {
		if p := CreditProblem(c); p != "" {
			t.Fatalf("%s: base code invalid (%s)", c, p)
		}
		for _, v := range variants(c, creditChars) {
			if CreditProblem(v) == "" {
				t.Errorf("credit code %s accepted, a typo of %s", v, c)
			}
		}
	}
	for _, id := range ids {
		if p := IDProblem(id, refDay); p != "" {
			t.Fatalf("%s: base ID invalid (%s)", id, p)
		}
		for _, v := range variants(id, "0123456789X") {
			if IDProblem(v, refDay) == "" {
				t.Errorf("ID %s accepted, a typo of %s", v, id)
			}
		}
	}
}

// variants returns every string that differs from s in one character
// (taken from chars) or by swapping two adjacent different characters.
func variants(s, chars string) []string {
	var out []string
	b := []byte(s)
	for i := range b {
		orig := b[i]
		for j := 0; j < len(chars); j++ {
			if chars[j] != orig {
				b[i] = chars[j]
				out = append(out, string(b))
			}
		}
		b[i] = orig
	}
	for i := 0; i+1 < len(b); i++ {
		if b[i] != b[i+1] {
			b[i], b[i+1] = b[i+1], b[i]
			out = append(out, string(b))
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return out
}

func TestIDFacts(t *testing.T) {
	birth, ok := IDBirth("11010519491231002X")
	if !ok || !birth.Equal(time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("IDBirth = %v %v", birth, ok)
	}
	for _, s := range []string{"1101051949", "110105194902301", "110105184912310021"} {
		if _, ok := IDBirth(s); ok {
			t.Errorf("IDBirth(%q) ok", s)
		}
	}
	if _, ok := IDBirth("11010518500101002"); !ok {
		t.Errorf("IDBirth of 1850-01-01 refused")
	}
	// The 17th digit: odd for men. 210102199003071233: 3 → man;
	// 11010519491231002X: 2 → woman.
	if !IDMale("210102199003071233") || IDMale("11010519491231002X") || IDMale("2101") {
		t.Error("IDMale wrong")
	}
	b := time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		ref  time.Time
		want int
	}{
		{time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC), 35},
		{time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), 36},
		{time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), 35},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), 36},
	} {
		if got := Age(b, c.ref); got != c.want {
			t.Errorf("Age on %s = %d, want %d", c.ref.Format("2006-01-02"), got, c.want)
		}
	}
}

func TestMaskID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"21010219900307123X", "210102********123X"},
		{"210102199003071", "210102*****3071"},
		{"12345678901", "123456*8901"},
		{"1234567890", "**********"},
		{"辽宁省沈阳市和平区某街道1号", "辽宁省沈阳市****街道1号"},
		{"", ""},
	} {
		if got := MaskID(c.in); got != c.want {
			t.Errorf("MaskID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
