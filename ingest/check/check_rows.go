package check

import (
	"fmt"
	"strings"

	"ufa/ingest/model"
	"ufa/internal/codes"
	"ufa/internal/spec"
)

// organizations checks 社会组织: unique codes, the county against the
// city, the staff figures, the Party organization form, the founding date,
// and the credit code against the organization type and the city.
func (r *checkRun) organizations() {
	t := r.table(spec.SheetOrganizations)
	if t == nil {
		return
	}
	c := ckCols(t, "credit_code", "org_type", "county", "staff_total", "party_members", "non_party_staff",
		"has_party_org", "party_org_form", "non_party_leaders", "founded_on")
	code, typ, county, staff, party, nonParty, hasOrg, form, leaders, founded :=
		c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]

	r.unique(t, code, "统一社会信用代码", ckAsIs, "同一组织只填一行，请删除或合并重复的行")
	formAbsent, formReported := t.Cell(form) == "", false
	for i := range t.Rows {
		row := &t.Rows[i]
		at := func(col int) ckCell { return ckCell{t, row, col} }

		r.county(at(county))

		// staff_total = party_members + non_party_staff.
		if s, p, n := at(staff), at(party), at(nonParty); s.ok() && p.ok() && n.ok() &&
			s.v().Int() != p.v().Int()+n.v().Int() {
			r.errorf("E_CONSISTENCY", s, "从业人员数 %d 不等于中共党员数 %d 与党外从业人员数 %d 之和 %d：请核对这三项人数",
				s.v().Int(), p.v().Int(), n.v().Int(), p.v().Int()+n.v().Int())
		}
		if s := at(staff); s.ok() && s.v().Int() > ckOutlierStaff {
			r.warnf("W_OUTLIER", s, "从业人员数 %d 超过 %d，远超通常范围：请核对是否多填了位数或误填了其他数字", s.v().Int(), ckOutlierStaff)
		}

		// party_org_form is required exactly when has_party_org is 是. An
		// empty form is S=="" and not OK; a form the reader refused
		// (E_ENUM) has its text in S and is left alone. An absent column
		// is one finding on the header, not one per row.
		if h, f := at(hasOrg), at(form); h.ok() && formAbsent {
			if h.v().Bool() && !formReported {
				formReported = true
				r.add(model.Error, "E_COLUMN_MISSING", ckCell{t: t, row: &model.Row{Line: t.HeaderRow}, col: form},
					fmt.Sprintf("缺少“%s”列，而第 %d 行等已建立党组织：已建立党组织的须填写组建形式，请在表头（第 %d 行）添加“%s”列并填写",
						t.Spec.Columns[form].Name, row.Line, t.HeaderRow, t.Spec.Columns[form].Name))
			}
		} else if h.ok() {
			empty := !f.ok() && f.v().S == ""
			switch {
			case h.v().Bool() && empty:
				r.errorf("E_CONSISTENCY", f, "已建立党组织但未填党组织组建形式：请选择“单独组建”“联合组建”或“功能型党组织”，或将“是否建立党组织”改为“否”")
			case !h.v().Bool() && f.ok():
				r.errorf("E_CONSISTENCY", f, "未建立党组织但填写了党组织组建形式“%s”：请清空此格，或将“是否建立党组织”改为“是”", f.shown())
			}
		}

		if l, n := at(leaders), at(nonParty); l.ok() && n.ok() && l.v().Int() > n.v().Int() {
			r.errorf("E_CONSISTENCY", l, "党外人士担任负责人数 %d 大于党外从业人员数 %d：负责人也是从业人员，请核对这两项人数",
				l.v().Int(), n.v().Int())
		}

		r.notAfterMonth(at(founded), "成立日期", "报表反映月末的情况，请核对成立日期；本月之后成立的组织在以后月份报送")

		r.orgCode(at(code), at(typ))
	}
}

// county checks 所在县(市、区) against the counties of the submitting city,
// by name or by 6-digit code. It needs the city: skipped when the cover's
// city is unknown or disputed (E_COVER says so).
func (r *checkRun) county(c ckCell) {
	if r.city == nil || !c.ok() {
		return
	}
	s := c.v().S
	if s == "" {
		return
	}
	for _, k := range r.city.Counties {
		if s == k.Name || s == k.Code {
			return
		}
	}
	names := make([]string, 0, len(r.city.Counties))
	for _, k := range r.city.Counties {
		names = append(names, k.Name)
	}
	// A county of another city is the likely slip: say whose it is.
	for _, city := range r.book.Cities {
		for _, k := range city.Counties {
			if s == k.Name || s == k.Code {
				r.errorf("E_ENUM", c, "所在县(市、区)“%s”是%s%s，不属于%s：请填写本市所辖县(市、区)名称或6位区划代码，如 %s；外市的组织不在本市报表范围内",
					s, city.Name, k.Name, r.city.Name, ckExamples(names, 4))
				return
			}
		}
	}
	r.errorf("E_ENUM", c, "所在县(市、区)“%s”不是%s所辖的县级区划：请填写名称或6位区划代码，如 %s",
		s, r.city.Name, ckExamples(names, 4))
}

// orgCode checks the credit code's first eight characters against the
// organization type and the submitting city. A code the reader refused is
// not looked at.
func (r *checkRun) orgCode(code, typ ckCell) {
	if !code.ok() {
		return
	}
	s := code.v().S
	if len(s) != 18 {
		return
	}
	if typ.ok() {
		t := typ.v().S
		want := ""
		switch t {
		case "社会团体":
			want = "51"
		case "民办非企业单位":
			want = "52"
		case "基金会":
			want = "53"
		}
		switch {
		case want != "" && s[:2] != want:
			r.errorf("E_CONSISTENCY", typ, "组织类型“%s”的统一社会信用代码应以 %s 开头，而本行代码为 %s（以 %s 开头）：请核对组织类型或信用代码（民政部门登记：51 社会团体、52 民办非企业单位、53 基金会）",
				t, want, s, s[:2])
		case t == "市场中介机构" && s[0] != '3' && s[0] != '9':
			r.warnf("W_CODE_CATEGORY", code, "市场中介机构的统一社会信用代码第1位为“%c”，不是司法行政（3）或市场监管（9）登记：请核对组织类型（律师、公证机构多为3开头，会计、资产评估机构多为9开头）或信用代码",
				s[0])
		}
	}
	if r.city != nil {
		div := s[2:8]
		if div != spec.ProvinceCode && !strings.HasPrefix(div, r.city.Code[:4]) {
			r.warnf("W_DIVISION", code, "信用代码第3–8位登记机关区划码 %s 既不是省本级（%s）也不属于%s（%s开头）：该组织可能在外地登记，请核对是否属于本市的统计范围",
				div, spec.ProvinceCode, r.city.Name, r.city.Code[:4])
		}
	}
}

// representatives checks 代表人士: unique ID numbers, age on the month's
// last day, gender against the ID, non-Party status, the organization, the
// talent pool and the listing date.
func (r *checkRun) representatives() {
	t := r.table(spec.SheetRepresentatives)
	if t == nil {
		return
	}
	c := ckCols(t, "id_number", "gender", "political_status", "org_credit_code", "in_talent_pool", "key_contact", "listed_on")
	id, gender, status, org, pool, key, listed := c[0], c[1], c[2], c[3], c[4], c[5], c[6]
	orgs := r.keys(spec.SheetOrganizations, "credit_code", ckNormCode)
	orgSheet := r.sheetLabel(spec.SheetOrganizations)
	refused := t.Spec.Columns[status].Choices.Refused

	r.unique(t, id, "公民身份号码", ckMaskID, "同一人只填一行，请删除或合并重复的行")
	for i := range t.Rows {
		row := &t.Rows[i]
		at := func(col int) ckCell { return ckCell{t, row, col} }

		if ic := at(id); ic.ok() && !r.month.IsZero() {
			s := ic.v().S
			if birth, ok := codes.IDBirth(s); ok {
				if age := codes.Age(birth, r.monthEnd); age < 18 || age > 100 {
					r.errorf("E_ID_NUMBER", ic, "公民身份号码 %s 对应的出生日期为 %s，截至 %s 年龄为 %d 岁，不在18–100岁之间：请核对身份证号",
						ckMaskID(s), birth.Format("2006-01-02"), r.monthEnd.Format("2006-01-02"), age)
				}
			}
		}

		if g, ic := at(gender), at(id); g.ok() && ic.ok() && len(ic.v().S) == 18 {
			want := "女"
			if codes.IDMale(ic.v().S) {
				want = "男"
			}
			if g.v().S != want {
				r.errorf("E_CONSISTENCY", g, "性别“%s”与公民身份号码第17位（奇数为男、偶数为女）所示的“%s”不符：请核对性别或身份证号",
					g.v().S, want)
			}
		}

		if ps := at(status); ps.ok() && ckContains(refused, ps.v().S) {
			r.errorf("E_CONSISTENCY", ps, "政治面貌为“%s”：代表人士是党外人士，中共党员不得列入名单，请删除此行或更正政治面貌", ps.v().S)
		}

		oc := at(org)
		r.ref(oc, orgs, ckNormCode, func() string {
			return fmt.Sprintf("所在组织统一社会信用代码 %s 不在“%s”表中：请先在“%s”表中登记该组织，或更正代码",
				oc.v().S, orgSheet, orgSheet)
		})

		if k, p := at(key), at(pool); k.ok() && p.ok() && k.v().Bool() && !p.v().Bool() {
			r.warnf("W_KEY_CONTACT_NOT_IN_POOL", k, "重点联系的代表人士未纳入人才库：重点联系人士一般应纳入人才库，请核对“是否纳入人才库”或“是否重点联系”")
		}

		r.notAfterMonth(at(listed), "纳入名单日期", "名单反映月末的情况，请核对日期；本月之后纳入的人员在以后月份报送")
	}
}

// activities checks 联系活动: unique numbers, the date, the organization,
// and the headcount against the participants listed.
func (r *checkRun) activities() {
	t := r.table(spec.SheetActivities)
	if t == nil {
		return
	}
	c := ckCols(t, "activity_id", "date", "org_credit_code", "headcount")
	id, date, org, head := c[0], c[1], c[2], c[3]
	orgs := r.keys(spec.SheetOrganizations, "credit_code", ckNormCode)
	orgSheet := r.sheetLabel(spec.SheetOrganizations)
	listed, partSheet := r.participantCounts()

	first := r.unique(t, id, "活动编号", ckAsIs, "每次活动一个编号，请删除重复的行或改用新编号")
	for i := range t.Rows {
		row := &t.Rows[i]
		at := func(col int) ckCell { return ckCell{t, row, col} }

		r.inMonth(at(date), "活动日期", "请更正日期，或将此活动填入所属月份的报表")

		oc := at(org)
		r.ref(oc, orgs, ckNormCode, func() string {
			return fmt.Sprintf("涉及社会组织统一社会信用代码 %s 不在“%s”表中：请先在“%s”表中登记该组织，更正代码，或清空此格",
				oc.v().S, orgSheet, orgSheet)
		})

		hc := at(head)
		if !hc.ok() {
			continue
		}
		n := hc.v().Int()
		// Compare only on the first row of an activity number: a repeated
		// number is one E_DUPLICATE already.
		if ic := at(id); listed != nil && ic.ok() && first[ic.v().S] == row.Line {
			if k := listed[ckNormText(ic.v().S)]; int64(k) > n {
				r.errorf("E_CONSISTENCY", hc, "参加人数 %d 少于“%s”表中本活动（%s）登记的 %d 人：请更正参加人数，或核对“%s”表",
					n, partSheet, ic.v().S, k, partSheet)
			}
		}
		if n > ckOutlierHeadcount {
			r.warnf("W_OUTLIER", hc, "参加人数 %d 超过 %d，远超通常范围：请核对是否多填了位数", n, ckOutlierHeadcount)
		}
	}
}

// participantCounts counts the distinct people listed per activity number
// in 活动参加人员 (nil when the sheet is missing). A repeated pair counts
// once: it is one E_DUPLICATE, not also a headcount problem.
func (r *checkRun) participantCounts() (map[string]int, string) {
	t := r.table(spec.SheetParticipants)
	if t == nil {
		return nil, ""
	}
	c := ckCols(t, "activity_id", "id_number")
	seen := make(map[[2]string]bool, len(t.Rows))
	counts := make(map[string]int, len(t.Rows))
	for i := range t.Rows {
		a, p := ckCell{t, &t.Rows[i], c[0]}, ckCell{t, &t.Rows[i], c[1]}
		ak, pk := ckNormText(a.v().S), ckNormCode(p.shown())
		if !a.ok() || ak == "" || pk == "" || seen[[2]string{ak, pk}] {
			continue
		}
		seen[[2]string{ak, pk}] = true
		counts[ak]++
	}
	return counts, t.Name
}

// participants checks 活动参加人员: the activity and the person exist, and
// each pair is listed once.
func (r *checkRun) participants() {
	t := r.table(spec.SheetParticipants)
	if t == nil {
		return
	}
	c := ckCols(t, "activity_id", "id_number")
	act, id := c[0], c[1]
	acts := r.keys(spec.SheetActivities, "activity_id", ckNormText)
	reps := r.keys(spec.SheetRepresentatives, "id_number", ckNormCode)
	actSheet, repSheet := r.sheetLabel(spec.SheetActivities), r.sheetLabel(spec.SheetRepresentatives)

	first := make(map[[2]string]int, len(t.Rows))
	for i := range t.Rows {
		row := &t.Rows[i]
		ac, ic := ckCell{t, row, act}, ckCell{t, row, id}
		aOK := r.ref(ac, acts, ckNormText, func() string {
			return fmt.Sprintf("活动编号 %s 不在“%s”表中：请先在“%s”表中登记该活动，或更正活动编号",
				ac.v().S, actSheet, actSheet)
		})
		iOK := r.ref(ic, reps, ckNormCode, func() string {
			return fmt.Sprintf("公民身份号码 %s 不在“%s”表中：参加人员须为本市代表人士，请先将此人列入“%s”表，或更正身份证号",
				ckMaskID(ic.v().S), repSheet, repSheet)
		})
		if !aOK || !iOK || !ac.ok() || !ic.ok() {
			continue
		}
		pair := [2]string{ckNormText(ac.v().S), ckNormCode(ic.v().S)}
		if line, seen := first[pair]; seen {
			r.errorf("E_DUPLICATE", ic, "活动 %s 的参加人员 %s 与第 %d 行重复：同一活动同一人只填一行，请删除重复的行",
				ac.v().S, ckMaskID(ic.v().S), line)
			continue
		}
		first[pair] = row.Line
	}
}

// dated checks 建言献策 and 提名举荐: the date lies in the month and the
// person is a representative.
func (r *checkRun) dated(key, who string) {
	t := r.table(key)
	if t == nil {
		return
	}
	c := ckCols(t, "date", "id_number")
	date, id := c[0], c[1]
	reps := r.keys(spec.SheetRepresentatives, "id_number", ckNormCode)
	repSheet := r.sheetLabel(spec.SheetRepresentatives)
	what := "日期"
	if date >= 0 {
		what = t.Spec.Columns[date].Name
	}
	for i := range t.Rows {
		row := &t.Rows[i]
		r.inMonth(ckCell{t, row, date}, what, "请更正日期，或将此行填入所属月份的报表")
		ic := ckCell{t, row, id}
		r.ref(ic, reps, ckNormCode, func() string {
			return fmt.Sprintf("%s公民身份号码 %s 不在“%s”表中：请先将此人列入“%s”表，或更正身份证号",
				who, ckMaskID(ic.v().S), repSheet, repSheet)
		})
	}
}

// keys is the key set of another sheet's column, nil when the sheet is
// missing (no E_REF against a sheet that E_SHEET_MISSING reported) or
// lacks the column.
func (r *checkRun) keys(sheet, col string, norm func(string) string) map[string]int {
	t := r.table(sheet)
	if t == nil {
		return nil
	}
	i := t.Spec.ColumnIndex(col)
	if t.Cell(i) == "" {
		// The column is absent (E_COLUMN_MISSING): every reference would
		// fail for that one reason.
		return nil
	}
	return ckKeySet(t, i, norm)
}

func ckContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
