package testbook

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/xuri/excelize/v2"

	"ufa/internal/codes"
)

// Sheet is one sheet: its name and rows, the header row first (for item
// sheets, rows of 项目/内容).
type Sheet struct {
	Name string
	Rows [][]any
}

// Book is a workbook to write, sheets in order.
type Book struct {
	Sheets []*Sheet
}

// Sheet returns the sheet with the given name, or nil.
func (b *Book) Sheet(name string) *Sheet {
	for _, s := range b.Sheets {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Col returns the index of the header cell named name in sheet, or -1.
func (s *Sheet) Col(name string) int {
	for i, h := range s.Rows[0] {
		if h == name {
			return i
		}
	}
	return -1
}

// Set sets the cell of data row i (0-based, after the header) in the
// column named col. For item sheets, col is the item name and i ignored.
func (b *Book) Set(sheet string, i int, col string, v any) {
	s := b.Sheet(sheet)
	if s.Rows[0][0] == "项目" {
		for _, r := range s.Rows[1:] {
			if r[0] == col {
				r[1] = v
				return
			}
		}
		panic(fmt.Sprintf("testbook: no item %q in %s", col, sheet))
	}
	c := s.Col(col)
	if c < 0 {
		panic(fmt.Sprintf("testbook: no column %q in %s", col, sheet))
	}
	s.Rows[i+1][c] = v
}

// Get returns a cell like Set addresses it.
func (b *Book) Get(sheet string, i int, col string) any {
	s := b.Sheet(sheet)
	if s.Rows[0][0] == "项目" {
		for _, r := range s.Rows[1:] {
			if r[0] == col {
				return r[1]
			}
		}
		return nil
	}
	return s.Rows[i+1][s.Col(col)]
}

// Write writes the book as an xlsx file.
func (b *Book) Write(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range b.Sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		for r, row := range s.Rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.Name, cell, &row); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

// WriteIn writes the book into dir under name and returns the path.
func (b *Book) WriteIn(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	return p, b.Write(p)
}

// CreditCode makes a valid unified social credit code: prefix is the
// first two characters (51 社会团体, 52 民办非企业单位, 53 基金会, 91
// enterprise), division six digits, seq a number for characters 9–17.
func CreditCode(prefix, division string, seq int) string {
	body := prefix + division + fmt.Sprintf("MJ%07d", seq)
	return body + string(codes.CreditCheckChar(body))
}

// IDNumber makes a valid resident ID number.
func IDNumber(address, birth string, seq int, male bool) string {
	s := seq % 1000
	if male != (s%2 == 1) {
		s = (s + 1) % 1000
	}
	body := address + birth + fmt.Sprintf("%03d", s)
	return body + string(codes.IDCheckChar(body))
}

// The fixed facts of Valid's workbook, for tests that refer to them.
const (
	City     = "沈阳市"
	CityCode = "210100"
	Month    = "2026-10"
	OrgCount = 3
	RepCount = 3
	FileName = "沈阳市_2026-10.xlsx"
)

// Org returns the credit code of organization i (0-based) of Valid.
func Org(i int) string {
	return []string{
		CreditCode("51", "210100", 1),
		CreditCode("52", "210102", 2),
		CreditCode("53", "210000", 3),
	}[i]
}

// Rep returns the ID number of representative i (0-based) of Valid.
func Rep(i int) string {
	return []string{
		IDNumber("210102", "19800307", 123, true),
		IDNumber("210103", "19751120", 246, false),
		IDNumber("210104", "19900101", 357, true),
	}[i]
}

// Valid returns a valid workbook of 沈阳市 for 2026-10: three
// organizations, three representatives, two activities with participants,
// one suggestion, one nomination and the mechanisms, every sheet by its
// canonical name and header.
func Valid() *Book {
	return &Book{Sheets: []*Sheet{
		{Name: "封面", Rows: [][]any{
			{"项目", "内容"},
			{"填报单位", City},
			{"报送月份", Month},
			{"填报人", "张三"},
			{"联系电话", "024-12345678"},
			{"填报日期", "2026-11-03"},
			{"模板版本", "2026.1"},
		}},
		{Name: "社会组织", Rows: [][]any{
			{"统一社会信用代码", "组织名称", "组织类型", "所属领域", "所在县(市、区)", "登记管理机关层级", "从业人员数", "中共党员数", "党外从业人员数", "是否建立党组织", "党组织组建形式", "是否有统战工作联络员", "党外人士担任负责人数", "成立日期"},
			{Org(0), "沈阳市软件行业协会", "社会团体", "行业协会商会", "和平区", "市级", 25, 5, 20, "是", "单独组建", "是", 2, "2010-05-04"},
			{Org(1), "沈阳市和平区阳光学校", "民办非企业单位", "教育", "210102", "县级", 40, 0, 40, "否", "", "是", 1, ""},
			{Org(2), "辽宁省慈善基金会", "基金会", "慈善公益", "沈河区", "省级", 12, 3, 9, "否", "", "否", 0, "2001-01-15"},
		}},
		{Name: "代表人士", Rows: [][]any{
			{"公民身份号码", "姓名", "性别", "政治面貌", "学历", "所在组织统一社会信用代码", "职务", "是否担任组织负责人", "是否新媒体从业人员", "是否纳入人才库", "是否重点联系", "人大代表层级", "政协委员层级", "是否与党委领导结对联系", "纳入名单日期"},
			{Rep(0), "李明", "男", "民盟", "研究生", Org(0), "会长", "是", "否", "是", "是", "市", "无", "是", "2020-03-01"},
			{Rep(1), "王芳", "女", "无党派人士", "大学本科", Org(1), "校长", "是", "是", "是", "否", "", "", "", "2022-07-15"},
			{Rep(2), "赵强", "男", "群众", "", Org(2), "", "否", "否", "否", "否", "", "省", "否", "2026-10-08"},
		}},
		{Name: "联系活动", Rows: [][]any{
			{"活动编号", "活动日期", "活动类型", "活动名称", "牵头单位层级", "党委主要领导是否参加", "涉及社会组织统一社会信用代码", "参加人数"},
			{"SY-2026-10-01", "2026-10-12", "走访", "走访软件行业协会", "市级", "是", Org(0), 3},
			{"SY-2026-10-02", "2026-10-20", "培训", "党外代表人士培训班", "市级", "否", "", 30},
		}},
		{Name: "活动参加人员", Rows: [][]any{
			{"活动编号", "公民身份号码"},
			{"SY-2026-10-01", Rep(0)},
			{"SY-2026-10-02", Rep(0)},
			{"SY-2026-10-02", Rep(1)},
		}},
		{Name: "建言献策", Rows: [][]any{
			{"报送日期", "建言人公民身份号码", "标题", "报送渠道", "是否被采纳"},
			{"2026-10-15", Rep(1), "关于民办学校师资建设的建议", "社情民意信息", "是"},
		}},
		{Name: "提名举荐", Rows: [][]any{
			{"举荐日期", "被举荐人公民身份号码", "举荐方向", "层级", "结果"},
			{"2026-10-22", Rep(0), "政协委员", "市", "待定"},
		}},
		{Name: "工作机制", Rows: [][]any{
			{"项目", "内容"},
			{"联谊交友制度", "是"},
			{"定期走访制度", "是"},
			{"信息反映制度", "否"},
			{"培训考察制度", "是"},
			{"发挥作用制度", "否"},
			{"激励表彰制度", "否"},
			{"本月召开联席会议次数", 1},
			{"工作经费是否纳入同级财政预算", "是"},
			{"年度工作经费（万元）", 12.5},
			{"专职统战干部人数", 3},
			{"是否成立社会组织联合会或促进会", "否"},
			{"本月宣传典型案例数", 0},
		}},
	}}
}

// Itoa is strconv.Itoa, for building rows.
func Itoa(i int) string { return strconv.Itoa(i) }
