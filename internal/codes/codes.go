package codes

import (
	"strings"
	"time"
)

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditProblem says why s is not a valid unified social credit code, or
// "" when it is. s must already be normalised and upper-cased.
func CreditProblem(s string) string {
	if len(s) != 18 {
		return "length"
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditAlphabet, s[i])
		if v < 0 {
			return "char"
		}
		if i >= 2 && i < 8 && (s[i] < '0' || s[i] > '9') {
			return "division"
		}
		if i < 17 {
			sum += v * creditWeights[i]
		}
	}
	if creditAlphabet[(31-sum%31)%31] != s[17] {
		return "check"
	}
	return ""
}

// CreditCheckChar computes the check character for the first 17 characters.
func CreditCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditAlphabet, first17[i]) * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31]
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// IDCheckChar computes the check character for the first 17 digits.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheck[sum%11]
}

// IDProblem says why s is not a valid resident ID number on the day ref,
// or "" when it is: "length", "char", "check", "birth" (no such date) or
// "age" (not 18–100 years old on ref). s must be upper-cased.
func IDProblem(s string, ref time.Time) string {
	if len(s) != 18 {
		return "length"
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "char"
		}
	}
	if (s[17] < '0' || s[17] > '9') && s[17] != 'X' {
		return "char"
	}
	if IDCheckChar(s[:17]) != s[17] {
		return "check"
	}
	birth, ok := IDBirth(s)
	if !ok {
		return "birth"
	}
	if age := Age(birth, ref); age < 18 || age > 100 {
		return "age"
	}
	return ""
}

// IDBirth returns the birth date of a well-formed ID number.
func IDBirth(s string) (time.Time, bool) {
	if len(s) < 14 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", s[6:14])
	if err != nil || t.Year() < 1850 {
		return time.Time{}, false
	}
	return t, true
}

// IDMale tells the gender an ID number carries (17th digit odd: male).
func IDMale(s string) bool { return len(s) >= 17 && (s[16]-'0')%2 == 1 }

// Age is the age in whole years on ref.
func Age(birth, ref time.Time) int {
	age := ref.Year() - birth.Year()
	if ref.Month() < birth.Month() || (ref.Month() == birth.Month() && ref.Day() < birth.Day()) {
		age--
	}
	return age
}

// MaskID keeps the first 6 and last 4 characters of an ID number
// (210102********123X). Strings too short to mask are masked whole.
func MaskID(s string) string {
	r := []rune(s)
	if len(r) <= 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}
