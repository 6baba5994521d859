package read

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ufa/ingest/model"
	"ufa/internal/codes"
	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// rdMaxText bounds a text cell that has no MaxLen of its own. No name,
// title, position or number in the workbook is anywhere near as long; the
// bound keeps a hostile workbook (one megabyte-long string referenced by
// every cell) from multiplying into memory. Over it is E_RANGE.
const rdMaxText = 2000

// rdMaxShown bounds the value as read carried in a finding.
const rdMaxShown = 200

// rdExcelErrors are the error values a formula can leave in a cell.
var rdExcelErrors = []string{"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
	"#GETTING_DATA", "#SPILL!", "#CALC!", "#BLOCKED!", "#FIELD!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"}

// rdShown is a value as read, cut for a finding.
func rdShown(s string) string {
	if len(s) <= rdMaxShown {
		return s
	}
	n := 0
	for i := range s {
		if n == rdMaxShown {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// rdType reads one cell (raw as excelize gives it with RawCellValue) as
// column c. It returns the typed value, and when the cell is wrong the
// finding's code and message (the caller places it). A wrong cell keeps
// its text (normalised) in S with OK false. Required-but-empty is
// E_REQUIRED; an empty optional cell takes c.EmptyAs.
func rdType(c *spec.Column, raw string, d1904 bool) (model.Value, string, string) {
	s := textnorm.Text(raw)
	if s == "" {
		if c.EmptyAs != "" {
			return rdEmptyAs(c), "", ""
		}
		if c.Required {
			return model.Value{}, "E_REQUIRED", fmt.Sprintf("“%s”为必填项，不能为空：请填写。", c.Name)
		}
		return model.Value{}, "", ""
	}
	bad := model.Value{S: s}
	if strings.HasPrefix(s, "#") {
		for _, e := range rdExcelErrors {
			if strings.EqualFold(s, e) {
				return bad, "E_TYPE", fmt.Sprintf("“%s”是公式计算出错的结果（%s）：请修正公式，或直接填写%s。", c.Name, e, rdKindWord(c.Kind))
			}
		}
	}
	switch c.Kind {
	case spec.Text:
		n := utf8.RuneCountInString(s)
		if c.MaxLen > 0 && n > c.MaxLen {
			return model.Value{S: s}, "E_RANGE", fmt.Sprintf("“%s”不能超过 %d 个字，现有 %d 个字：请精简。", c.Name, c.MaxLen, n)
		}
		if n > rdMaxText {
			return model.Value{S: rdShown(s)}, "E_RANGE", fmt.Sprintf("“%s”内容过长（%d 个字，上限 %d）：请只填写%s本身。", c.Name, n, rdMaxText, c.Name)
		}
		return model.Value{S: s, OK: true}, "", ""
	case spec.Code18:
		return rdCredit(c, s)
	case spec.ID18:
		return rdID(c, s)
	case spec.Enum:
		return rdEnum(c, s)
	case spec.Bool:
		if b, ok := rdBool(s); ok {
			return b, "", ""
		}
		return bad, "E_TYPE", fmt.Sprintf("“%s”应填“是”或“否”，“%s”无法识别：请从下拉列表选择。", c.Name, rdShown(s))
	case spec.Date:
		days, problem := rdDate(s, d1904)
		if problem != "" {
			return bad, "E_TYPE", fmt.Sprintf("“%s”%s：请填写日期，如 2026-10-05。", c.Name, problem)
		}
		return model.Value{N: float64(days), OK: true}, "", ""
	case spec.Month:
		if m, ok := rdMonth(s, d1904); ok {
			return rdMonthValue(m), "", ""
		}
		return bad, "E_TYPE", fmt.Sprintf("“%s”不是有效的月份：请填写如 2026-10 的年月。", c.Name)
	case spec.Int, spec.Dec:
		return rdNumberCell(c, s)
	}
	return model.Value{S: s, OK: true}, "", ""
}

// rdEmptyAs is the value an empty optional cell means.
func rdEmptyAs(c *spec.Column) model.Value {
	if c.Kind == spec.Bool {
		b, _ := rdBool(c.EmptyAs)
		return b
	}
	return model.Value{S: c.EmptyAs, OK: true}
}

func rdKindWord(k spec.Kind) string {
	switch k {
	case spec.Int:
		return "整数"
	case spec.Dec:
		return "数字"
	case spec.Date:
		return "日期"
	case spec.Bool:
		return "“是”或“否”"
	}
	return "内容"
}

// rdCredit reads a unified social credit code: upper-cased, inner spaces
// and hyphens removed; the problem says what is wrong and how to fix it.
func rdCredit(c *spec.Column, s string) (model.Value, string, string) {
	code := textnorm.Code(s)
	if rdLostDigits(code) {
		return model.Value{S: s}, "E_CREDIT_CODE", fmt.Sprintf("“%s”被保存成了数字，末几位已丢失（显示为 %s）：请将该单元格设置为“文本”格式后重新输入完整的 18 位代码。", c.Name, rdShown(s))
	}
	switch codes.CreditProblem(code) {
	case "":
		return model.Value{S: code, OK: true}, "", ""
	case "length":
		return model.Value{S: s}, "E_CREDIT_CODE", fmt.Sprintf("统一社会信用代码应为 18 位，此处为 %d 位：请对照登记证书核对后重新填写。", utf8.RuneCountInString(code))
	case "char":
		return model.Value{S: s}, "E_CREDIT_CODE", "统一社会信用代码含有不允许的字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）：请对照登记证书核对，注意数字 0、1 与字母 O、I 的区别。"
	case "division":
		return model.Value{S: s}, "E_CREDIT_CODE", "统一社会信用代码第 3–8 位（登记管理机关行政区划码）应为数字：请对照登记证书核对后重新填写。"
	default:
		return model.Value{S: s}, "E_CREDIT_CODE", "统一社会信用代码校验位（第 18 位）不符，代码中有字符填错：请对照登记证书逐位核对后重新填写。"
	}
}

// rdID reads a resident ID number: upper-cased (a lower-case x is
// accepted). The age is not checked here: it needs the month (Check).
func rdID(c *spec.Column, s string) (model.Value, string, string) {
	id := textnorm.Code(s)
	if rdLostDigits(id) {
		return model.Value{S: s}, "E_ID_NUMBER", fmt.Sprintf("身份证号被保存成了数字，末几位已丢失（显示为 %s）：请将该单元格设置为“文本”格式后重新输入完整的 18 位号码。", rdShown(s))
	}
	// IDProblem checks the age last; a fixed reference day keeps the
	// reading deterministic and the age is ignored.
	problem := codes.IDProblem(id, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	switch problem {
	case "", "age":
		return model.Value{S: id, OK: true}, "", ""
	case "length":
		n := utf8.RuneCountInString(id)
		if n == 15 {
			return model.Value{S: s}, "E_ID_NUMBER", "这是 15 位的旧身份证号：请填写 18 位的公民身份号码。"
		}
		return model.Value{S: s}, "E_ID_NUMBER", fmt.Sprintf("身份证号应为 18 位，此处为 %d 位：请核对后重新填写。", n)
	case "char":
		return model.Value{S: s}, "E_ID_NUMBER", "身份证号只能由数字组成，最后一位可以是 X：请核对后重新填写。"
	case "check":
		if strings.HasSuffix(id, "00") {
			return model.Value{S: s}, "E_ID_NUMBER", "身份证号校验位（最后一位）不符：如该单元格是数字格式，末几位可能已被 Excel 改成 0，请将单元格设置为“文本”格式后重新输入完整号码；否则请对照身份证逐位核对。"
		}
		return model.Value{S: s}, "E_ID_NUMBER", "身份证号校验位（最后一位）不符，号码中有数字填错：请对照身份证逐位核对后重新填写。"
	default:
		return model.Value{S: s}, "E_ID_NUMBER", fmt.Sprintf("身份证号第 7–14 位的出生日期 %s 不存在：请核对后重新填写。", id[6:14])
	}
}

// rdLostDigits tells a long number Excel stored in floating point and
// shows in scientific notation (2.10102199003071E+17): its last digits
// are gone. s is upper-cased.
func rdLostDigits(s string) bool {
	mant, exp, ok := strings.Cut(s, "E+")
	if !ok || mant == "" || exp == "" || len(exp) > 3 || !rdAllDigits(exp) {
		return false
	}
	whole, frac, dot := strings.Cut(mant, ".")
	return len(whole) == 1 && rdAllDigits(whole) && (!dot || rdAllDigits(frac))
}

// rdEnum reads an enumeration: the canonical value or an alias, stored
// canonical; a Refused spelling is stored as read for Check.
func rdEnum(c *spec.Column, s string) (model.Value, string, string) {
	if c.Choices == nil {
		return model.Value{S: s, OK: true}, "", ""
	}
	for _, try := range []string{s, strings.ReplaceAll(s, " ", "")} {
		if v, ok := c.Choices.Canonical(try); ok {
			return model.Value{S: v, OK: true}, "", ""
		}
		for _, r := range c.Choices.Refused {
			if r == try {
				return model.Value{S: try, OK: true}, "", ""
			}
		}
	}
	return model.Value{S: s}, "E_ENUM", fmt.Sprintf("“%s”不能填“%s”：请从下拉列表选择，可填 %s。", c.Name, rdShown(s), strings.Join(c.Choices.Values, "、"))
}

// rdBool reads a boolean spelling (spec.BoolTrue / spec.BoolFalse).
func rdBool(s string) (model.Value, bool) {
	for _, t := range spec.BoolTrue {
		if s == t {
			return model.Value{N: 1, OK: true}, true
		}
	}
	for _, f := range spec.BoolFalse {
		if s == f {
			return model.Value{N: 0, OK: true}, true
		}
	}
	return model.Value{}, false
}

// rdNumberCell reads an int or dec cell: a number, or text like 12, 12.0,
// 1,234 (full-width digits are already half-width). Int refuses a
// fractional part; both refuse less than Min.
func rdNumberCell(c *spec.Column, s string) (model.Value, string, string) {
	v, ok := rdParseNumber(strings.ReplaceAll(s, ",", ""))
	what := "数字"
	if c.Kind == spec.Int {
		what = "整数"
	}
	if !ok {
		return model.Value{S: s}, "E_TYPE", fmt.Sprintf("“%s”应为%s，“%s”不是%s：请只填写%s，不要带单位或文字。", c.Name, what, rdShown(s), what, what)
	}
	if math.Abs(v) > 1<<53 {
		return model.Value{S: s}, "E_TYPE", fmt.Sprintf("“%s”数值 %s 过大：请核对。", c.Name, rdShown(s))
	}
	if c.Kind == spec.Int {
		r := math.Round(v)
		if math.Abs(v-r) > 1e-9*math.Max(1, math.Abs(v)) {
			return model.Value{S: s}, "E_TYPE", fmt.Sprintf("“%s”应为整数，“%s”带有小数：请填写整数。", c.Name, rdShown(s))
		}
		v = r
	}
	if c.HasMin && v < float64(c.Min) {
		return model.Value{S: s, N: v}, "E_RANGE", fmt.Sprintf("“%s”不能小于 %d，此处为 %s：请核对后重新填写。", c.Name, c.Min, rdShown(s))
	}
	return model.Value{N: v, OK: true}, "", ""
}

// rdParseNumber parses a plain decimal number (optional sign, digits,
// point, exponent). strconv.ParseFloat alone would also take Inf, NaN,
// hex floats and underscores.
func rdParseNumber(s string) (float64, bool) {
	if s == "" || len(s) > 64 {
		return 0, false
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			digits++
		case ch == '.' && !dot:
			dot = true
		case (ch == 'e' || ch == 'E') && digits > 0:
			j := i + 1
			if j < len(s) && (s[j] == '+' || s[j] == '-') {
				j++
			}
			if j == len(s) {
				return 0, false
			}
			for ; j < len(s); j++ {
				if s[j] < '0' || s[j] > '9' {
					return 0, false
				}
			}
			i = len(s)
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// Dates are accepted from 1900 to 2099: earlier or later is a typing
// slip (a year typed into a date cell, a serial number of another kind).
const (
	rdMinYear = 1900
	rdMaxYear = 2099
)

// rdDate reads a date: an Excel serial number in either date system, or
// text 2026-10-05, 2026/10/5, 2026.10.5, 2026年10月5日, 20261005, or an
// ISO date-time (t="d" cells). It returns days since 1970-01-01, or a
// problem phrase.
func rdDate(s string, d1904 bool) (int64, string) {
	if y, m, d, ok := rdDateText(s); ok {
		return rdDays(y, m, d)
	}
	v, ok := rdParseNumber(s)
	if !ok {
		return 0, "“" + rdShown(s) + "”不是有效日期"
	}
	if v == math.Trunc(v) && v >= rdMinYear && v <= rdMaxYear+1 {
		return 0, fmt.Sprintf("“%s”只有年份", s)
	}
	days, ok := rdSerialDays(v, d1904)
	if !ok {
		return 0, "“" + rdShown(s) + "”不是有效日期"
	}
	return days, ""
}

// rdDays checks a calendar date and returns its day number.
func rdDays(y, m, d int) (int64, string) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return 0, fmt.Sprintf("%d年%d月%d日不存在", y, m, d)
	}
	if y < rdMinYear || y > rdMaxYear {
		return 0, fmt.Sprintf("年份 %d 不合理", y)
	}
	return t.Unix() / 86400, ""
}

// rdSerialDays turns an Excel date serial into days since 1970-01-01. In
// the 1900 system serial 1 is 1900-01-01 and Excel counts a 29 February
// 1900 that never was (serial 60); in the 1904 system serial 0 is
// 1904-01-01. A time of day is dropped.
func rdSerialDays(v float64, d1904 bool) (int64, bool) {
	n := math.Floor(v)
	if n < 1 || n > 80000 {
		return 0, false
	}
	var days int64
	switch {
	case d1904:
		days = int64(n) - 24107
	case n == 60:
		return 0, false
	case n < 60:
		days = int64(n) - 25568
	default:
		days = int64(n) - 25569
	}
	y := time.Unix(days*86400, 0).UTC().Year()
	if y < rdMinYear || y > rdMaxYear {
		return 0, false
	}
	return days, true
}

// rdDateText parses the text forms of a date. A time after the date (a
// space or T, then anything) is ignored.
func rdDateText(s string) (y, m, d int, ok bool) {
	if strings.Contains(s, "年") {
		s = strings.ReplaceAll(s, " ", "")
	}
	if len(s) == 8 && rdAllDigits(s) {
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
		return y, m, d, m >= 1 && m <= 12 && d >= 1 && d <= 31
	}
	p := rdScanner{s: s}
	y, ok = p.digits(4, 4)
	if !ok {
		return 0, 0, 0, false
	}
	sep, ok := p.sep("-", "/", ".", "年")
	if !ok {
		return 0, 0, 0, false
	}
	if m, ok = p.digits(1, 2); !ok {
		return 0, 0, 0, false
	}
	want := sep
	if sep == "年" {
		want = "月"
	}
	if _, ok = p.sep(want); !ok {
		return 0, 0, 0, false
	}
	if d, ok = p.digits(1, 2); !ok {
		return 0, 0, 0, false
	}
	if sep == "年" {
		p.sep("日", "号")
	}
	if rest := p.s[p.i:]; rest != "" && rest[0] != ' ' && rest[0] != 'T' {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// rdMonth reads a month: 2026-10, 2026/10, 2026.10, 2026年10月, 202610, or
// a date (text or serial), taking its month. A number cell typed as
// 2026.10 is stored by Excel as 2026.1 and reads as January: the cell
// cannot tell them apart, and Check compares the month with the file name
// and the filing date.
func rdMonth(s string, d1904 bool) (time.Time, bool) {
	mk := func(y, m int) (time.Time, bool) {
		if y < rdMinYear || y > rdMaxYear || m < 1 || m > 12 {
			return time.Time{}, false
		}
		return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), true
	}
	t := strings.ReplaceAll(s, " ", "")
	if len(t) == 6 && rdAllDigits(t) {
		y, _ := strconv.Atoi(t[:4])
		m, _ := strconv.Atoi(t[4:])
		return mk(y, m)
	}
	p := rdScanner{s: t}
	if y, ok := p.digits(4, 4); ok {
		if sep, ok := p.sep("-", "/", ".", "年"); ok {
			if m, ok := p.digits(1, 2); ok {
				if sep == "年" {
					p.sep("月份", "月")
				}
				if p.i == len(p.s) {
					return mk(y, m)
				}
			}
		}
	}
	days, problem := rdDate(s, d1904)
	if problem != "" {
		return time.Time{}, false
	}
	dt := time.Unix(days*86400, 0).UTC()
	return mk(dt.Year(), int(dt.Month()))
}

// rdMonthValue is how a cover month is stored: "YYYY-MM" in S and the
// first day's number in N.
func rdMonthValue(m time.Time) model.Value {
	return model.Value{S: m.Format("2006-01"), N: float64(m.Unix() / 86400), OK: true}
}

// rdScanner walks a short date text.
type rdScanner struct {
	s string
	i int
}

func (p *rdScanner) digits(min, max int) (int, bool) {
	j := p.i
	for j < len(p.s) && j-p.i < max && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	if j-p.i < min {
		return 0, false
	}
	n, _ := strconv.Atoi(p.s[p.i:j])
	p.i = j
	return n, true
}

func (p *rdScanner) sep(seps ...string) (string, bool) {
	for _, sep := range seps {
		if strings.HasPrefix(p.s[p.i:], sep) {
			p.i += len(sep)
			return sep, true
		}
	}
	return "", false
}

func rdAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
