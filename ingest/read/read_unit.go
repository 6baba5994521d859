package read

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"ufa/internal/spec"
	"ufa/internal/textnorm"
)

// rdHeaderUnit returns the unit a header or item name notes in
// parentheses (年度工作经费（元）, 从业人员数(单位：万人)), or false when no
// note names a unit of spec.Units.
func rdHeaderUnit(raw string) (spec.Unit, bool) {
	s := textnorm.Text(raw) // NFKC: （）【】： become ()[]: where they have a form
	for {
		open := strings.IndexAny(s, "([【")
		if open < 0 {
			return spec.Unit{}, false
		}
		_, size := utf8.DecodeRuneInString(s[open:])
		s = s[open+size:]
		end := strings.IndexAny(s, ")]】")
		if end < 0 {
			return spec.Unit{}, false
		}
		note := strings.Join(strings.Fields(s[:end]), "")
		for _, p := range []string{"计量单位:", "单位:", "单位为", "单位"} {
			note = strings.TrimPrefix(note, p)
		}
		if u, ok := spec.LookupUnit(note); ok {
			return u, true
		}
		_, size = utf8.DecodeRuneInString(s[end:])
		s = s[end+size:]
	}
}

// rdUnitMessage is the E_UNIT message when the header raw of column c
// names a unit other than the contract's; "" when it does not. A unit
// of the same kind and size (名 for 人) is the contract's.
func rdUnitMessage(c *spec.Column, raw string) string {
	if c.Unit == "" {
		return ""
	}
	u, ok := rdHeaderUnit(raw)
	if !ok {
		return ""
	}
	want, _ := spec.LookupUnit(c.Unit)
	if u.Family == want.Family && u.Scale == want.Scale {
		return ""
	}
	msg := fmt.Sprintf("“%s”注明的单位是“%s”，而模板规定单位为“%s”，数值会差%s：", rdShown(textnorm.Text(raw)), u.Name, want.Name, rdFactor(u, want))
	if u.Family == want.Family {
		msg += fmt.Sprintf("请把本项数值换算为%s（%s），并把名称改回“%s”后重新校验。", want.Name, rdConvert(u, want), c.Name)
	} else {
		msg += fmt.Sprintf("请按模板以%s为单位填写，并把名称改回“%s”后重新校验。", want.Name, c.Name)
	}
	return msg
}

func rdFactor(from, to spec.Unit) string {
	if from.Family != to.Family {
		return "不可比"
	}
	f := from.Scale / to.Scale
	if f < 1 {
		f = 1 / f
	}
	return " " + strconv.FormatFloat(f, 'f', -1, 64) + " 倍"
}

func rdConvert(from, to spec.Unit) string {
	f := from.Scale / to.Scale
	if f < 1 {
		return "原数值除以 " + strconv.FormatFloat(1/f, 'f', -1, 64)
	}
	return "原数值乘以 " + strconv.FormatFloat(f, 'f', -1, 64)
}
