package spec

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
)

// TemplateVersion is the version of submission.md this program implements.
const TemplateVersion = "2026.1"

// DefaultDB is the warehouse file a command uses without --db (cli.md),
// in the current folder; its key is DefaultDB+".key" beside it.
const DefaultDB = "ufa.duckdb"

// ProvinceCode and ProvinceName identify the province in indicator output.
const (
	ProvinceCode = "210000"
	ProvinceName = "辽宁省"
)

// Kind is how a cell is read and what it becomes.
type Kind uint8

const (
	Text   Kind = iota // normalised text
	Code18             // unified social credit code (GB 32100-2015), upper-cased
	ID18               // resident ID number (GB 11643-1999), upper-cased
	Enum               // one of Column.Choices' values, stored canonical
	Bool               // 是/否 and friends
	Date               // an Excel date or a text date
	Month              // YYYY-MM (cover only)
	Int                // whole number
	Dec                // decimal number
)

func (k Kind) String() string {
	return [...]string{"text", "code18", "id18", "enum", "bool", "date", "month", "int", "dec"}[k]
}

// Choices is a closed list of canonical values with accepted spellings.
type Choices struct {
	Values  []string
	Aliases map[string]string // alias -> canonical value
	// Refused are spellings the reader accepts as read (no E_ENUM) because
	// a rule refuses them with a better message: 中共党员 as a political
	// status is E_CONSISTENCY (representatives are non-Party persons).
	Refused []string
}

// Canonical returns the canonical value for s (already normalised).
func (e *Choices) Canonical(s string) (string, bool) {
	for _, v := range e.Values {
		if v == s {
			return v, true
		}
	}
	v, ok := e.Aliases[s]
	return v, ok
}

// Column is one column of a table sheet, or one item of an item sheet
// (封面, 工作机制).
type Column struct {
	Key      string   // English field name used in code, warehouse and JSON
	Name     string   // canonical Chinese header written by the template
	Aliases  []string // accepted header spellings besides Name
	Kind     Kind
	Required bool
	MaxLen   int   // Text: maximum length in characters, 0 for none
	Min      int64 // Int/Dec: smallest allowed value (E_RANGE below it)
	HasMin   bool
	Choices  *Choices
	EmptyAs  string // Enum/Bool: the value an empty optional cell means ("" for none)
	// Unit is the unit the contract gives the numbers of an Int or Dec
	// column (万元, 人; one of Units), "" for none. A header whose note
	// names another unit is E_UNIT.
	Unit  string
	Help  string // one line for the 填写说明 sheet
	Width float64
}

// Sheet is one sheet of the monthly workbook.
type Sheet struct {
	Key     string // English name: cover, organizations, ...
	Name    string // canonical Chinese name
	Aliases []string
	// Items sheets (封面, 工作机制) have two columns 项目/内容 and one row
	// per item; Columns then lists the items.
	Items   bool
	Columns []Column
	Help    string
}

// Column returns the column with the given key, or nil.
func (s *Sheet) Column(key string) *Column {
	for i := range s.Columns {
		if s.Columns[i].Key == key {
			return &s.Columns[i]
		}
	}
	return nil
}

// ColumnIndex returns the index of the column with the given key, or -1.
func (s *Sheet) ColumnIndex(key string) int {
	for i := range s.Columns {
		if s.Columns[i].Key == key {
			return i
		}
	}
	return -1
}

// City is a prefecture-level city of Liaoning with its counties.
type City struct {
	Code     string // 6-digit GB/T 2260 code, e.g. 210100
	Name     string // 沈阳市
	Counties []County
}

// Short is the city's name without 市 (沈阳).
func (c City) Short() string { return strings.TrimSuffix(c.Name, "市") }

// County is a county-level division.
type County struct {
	Code string
	Name string
}

// Book is the whole contract: sheets in reading order and the divisions.
type Book struct {
	Sheets []*Sheet
	Cities []City
}

// Sheet keys, in the order the validator reads them (references point
// backwards: representatives to organizations, participants to both
// activities and representatives).
const (
	SheetCover           = "cover"
	SheetOrganizations   = "organizations"
	SheetRepresentatives = "representatives"
	SheetActivities      = "activities"
	SheetParticipants    = "participants"
	SheetSuggestions     = "suggestions"
	SheetNominations     = "nominations"
	SheetMechanisms      = "mechanisms"
	// InstructionsSheet is written by the template and ignored by the reader.
	InstructionsSheet = "填写说明"
)

// Sheet returns the sheet with the given key, or nil.
func (b *Book) Sheet(key string) *Sheet {
	for _, s := range b.Sheets {
		if s.Key == key {
			return s
		}
	}
	return nil
}

// City finds a city by code, canonical name or short name (沈阳).
func (b *Book) City(s string) (City, bool) {
	for _, c := range b.Cities {
		if s == c.Code || s == c.Name || s == c.Short() {
			return c, true
		}
	}
	return City{}, false
}

//go:embed liaoning_divisions.csv
var divisionsCSV string

// Load builds the contract. It is cheap and returns a fresh value, so
// callers own what they get and there is no shared state.
func Load() *Book {
	cities, err := parseDivisions(divisionsCSV)
	if err != nil {
		// The file is embedded at build time and covered by tests.
		panic(fmt.Sprintf("spec: embedded divisions: %v", err))
	}
	return &Book{Sheets: sheets(cities), Cities: cities}
}

func parseDivisions(data string) ([]City, error) {
	recs, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) < 2 || strings.Join(recs[0], ",") != "city_code,city_name,county_code,county_name" {
		return nil, fmt.Errorf("unexpected header %v", recs[0])
	}
	var cities []City
	for _, r := range recs[1:] {
		if len(cities) == 0 || cities[len(cities)-1].Code != r[0] {
			cities = append(cities, City{Code: r[0], Name: r[1]})
		}
		c := &cities[len(cities)-1]
		c.Counties = append(c.Counties, County{Code: r[2], Name: r[3]})
	}
	return cities, nil
}

func enum(values ...string) *Choices { return &Choices{Values: values, Aliases: map[string]string{}} }

func (e *Choices) refuse(values ...string) *Choices {
	e.Refused = append(e.Refused, values...)
	return e
}

func (e *Choices) alias(canonical string, aliases ...string) *Choices {
	for _, a := range aliases {
		e.Aliases[a] = canonical
	}
	return e
}

// Column constructors keep the table below readable.
func text(key, name string, req bool, help string, aliases ...string) Column {
	return Column{Key: key, Name: name, Aliases: aliases, Kind: Text, Required: req, Help: help}
}

func col(key, name string, kind Kind, req bool, help string, aliases ...string) Column {
	return Column{Key: key, Name: name, Aliases: aliases, Kind: kind, Required: req, Help: help}
}

func intCol(key, name string, min int64, help string, aliases ...string) Column {
	return Column{Key: key, Name: name, Aliases: aliases, Kind: Int, Required: true, Min: min, HasMin: true, Help: help}
}

func enumCol(key, name string, e *Choices, req bool, help string, aliases ...string) Column {
	return Column{Key: key, Name: name, Aliases: aliases, Kind: Enum, Required: req, Choices: e, Help: help}
}

// Aliases that hold in every sheet where the column appears.
var idAliases = []string{"身份证号", "身份证号码"}
var codeAliases = []string{"信用代码", "社会信用代码"}

func sheets(cities []City) []*Sheet {
	cityEnum := enum()
	for _, c := range cities {
		cityEnum.Values = append(cityEnum.Values, c.Name)
		cityEnum.alias(c.Name, c.Short())
	}
	level3 := enum("省级", "市级", "县级")
	level4 := enum("全国", "省", "市", "县").
		alias("全国", "全国级", "国家级").alias("省", "省级").alias("市", "市级").alias("县", "县级")
	office := enum("无", "全国", "省", "市", "县").
		alias("全国", "全国级", "国家级").alias("省", "省级").alias("市", "市级").alias("县", "县级")

	cover := &Sheet{Key: SheetCover, Name: "封面", Aliases: []string{"封皮", "基本信息"}, Items: true,
		Help: "填报单位与报送月份，每项一行",
		Columns: []Column{
			enumCol("city", "填报单位", cityEnum, true, "14个市之一，如“沈阳市”"),
			col("month", "报送月份", Month, true, "如 2026-10；不得晚于填报日期所在月份"),
			text("filled_by", "填报人", true, "填报人姓名"),
			text("phone", "联系电话", true, "填报人联系电话"),
			col("filled_on", "填报日期", Date, true, "如 2026-11-03；不得早于报送月份第一天"),
			text("template_version", "模板版本", false, "本模板版本 "+TemplateVersion+"，请勿修改"),
		}}

	orgs := &Sheet{Key: SheetOrganizations, Name: "社会组织", Aliases: []string{"社会组织名录", "社会组织情况"},
		Help: "本市范围内的社会组织，截至报送月份最后一天，每个组织一行",
		Columns: []Column{
			col("credit_code", "统一社会信用代码", Code18, true, "18位，须通过校验；在本表中不得重复", codeAliases...),
			{Key: "name", Name: "组织名称", Aliases: []string{"名称"}, Kind: Text, Required: true, MaxLen: 100, Help: "登记名称，不超过100字"},
			enumCol("org_type", "组织类型", enum("社会团体", "民办非企业单位", "基金会", "市场中介机构").
				alias("民办非企业单位", "社会服务机构", "民非").alias("市场中介机构", "中介机构"), true,
				"社会团体/民办非企业单位/基金会/市场中介机构；须与信用代码前两位相符"),
			enumCol("sector", "所属领域", enum("行业协会商会", "科技", "教育", "文化", "卫生", "体育", "律师", "公证",
				"会计", "资产评估", "新媒体", "慈善公益", "其他"), true, "从下拉列表选择"),
			text("county", "所在县(市、区)", true, "本市所辖县(市、区)名称或6位区划代码", "所在县区", "县区"),
			enumCol("reg_level", "登记管理机关层级", level3, true, "省级/市级/县级", "登记层级"),
			intCol("staff_total", "从业人员数", 0, "整数，≥0；须等于党员数与党外从业人员数之和"),
			intCol("party_members", "中共党员数", 0, "整数，≥0", "党员数"),
			intCol("non_party_staff", "党外从业人员数", 0, "整数，≥0"),
			col("has_party_org", "是否建立党组织", Bool, true, "是/否"),
			enumCol("party_org_form", "党组织组建形式", enum("单独组建", "联合组建", "功能型党组织"), false,
				"已建立党组织时必填，未建立时须留空"),
			col("has_liaison", "是否有统战工作联络员", Bool, true, "是/否", "统战联络员"),
			intCol("non_party_leaders", "党外人士担任负责人数", 0, "整数，≥0，不大于党外从业人员数"),
			col("founded_on", "成立日期", Date, false, "日期，不得晚于报送月份最后一天"),
		}}

	reps := &Sheet{Key: SheetRepresentatives, Name: "代表人士", Aliases: []string{"代表人士名单", "党外代表人士"},
		Help: "本市党外代表人士名单，截至报送月份最后一天，每人一行",
		Columns: []Column{
			col("id_number", "公民身份号码", ID18, true, "18位身份证号，须通过校验，年龄18–100岁；本表中不得重复", idAliases...),
			text("name", "姓名", true, "姓名"),
			enumCol("gender", "性别", enum("男", "女"), true, "男/女，须与身份证号第17位一致"),
			enumCol("political_status", "政治面貌", enum("群众", "无党派人士", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟").
				alias("无党派人士", "无党派").
				alias("民革", "中国国民党革命委员会").alias("民盟", "中国民主同盟").alias("民建", "中国民主建国会").
				alias("民进", "中国民主促进会").alias("农工党", "中国农工民主党").alias("致公党", "中国致公党").
				alias("台盟", "台湾民主自治同盟").refuse("中共党员", "中共预备党员", "中国共产党党员", "党员", "预备党员"), true, "党外人士的政治面貌；中共党员不得列入"),
			enumCol("education", "学历", enum("研究生", "大学本科", "大学专科", "高中及以下").
				alias("研究生", "博士", "硕士", "博士研究生", "硕士研究生").alias("大学本科", "本科").
				alias("大学专科", "大专", "专科").alias("高中及以下", "高中", "中专", "初中"), false, "可空"),
			col("org_credit_code", "所在组织统一社会信用代码", Code18, true, "须为“社会组织”表中的信用代码"),
			text("position", "职务", false, "可空"),
			col("is_org_leader", "是否担任组织负责人", Bool, true, "是/否"),
			col("is_new_media", "是否新媒体从业人员", Bool, true, "是/否"),
			col("in_talent_pool", "是否纳入人才库", Bool, true, "是/否"),
			col("key_contact", "是否重点联系", Bool, true, "是/否；重点联系人士一般应纳入人才库"),
			{Key: "npc_level", Name: "人大代表层级", Kind: Enum, Choices: office, EmptyAs: "无", Help: "无/全国/省/市/县，空白视为无"},
			{Key: "cppcc_level", Name: "政协委员层级", Kind: Enum, Choices: office, EmptyAs: "无", Help: "无/全国/省/市/县，空白视为无"},
			{Key: "leader_paired", Name: "是否与党委领导结对联系", Kind: Bool, EmptyAs: "否", Help: "是/否，空白视为否"},
			col("listed_on", "纳入名单日期", Date, true, "日期，不得晚于报送月份最后一天"),
		}}

	acts := &Sheet{Key: SheetActivities, Name: "联系活动", Aliases: []string{"活动情况", "联系活动情况"},
		Help: "本月开展的走访、座谈联谊、培训等活动，每次活动一行",
		Columns: []Column{
			text("activity_id", "活动编号", true, "本市自行编号，本表中不得重复"),
			col("date", "活动日期", Date, true, "须在报送月份内"),
			enumCol("type", "活动类型", enum("走访", "座谈联谊", "培训", "研讨学习", "考察调研", "专业咨询", "社会服务").
				alias("走访", "走访慰问").alias("座谈联谊", "座谈", "联谊").alias("培训", "培训班").
				alias("研讨学习", "研讨", "学习会").alias("考察调研", "调研").alias("专业咨询", "咨询"), true, "从下拉列表选择"),
			text("title", "活动名称", true, "活动名称"),
			enumCol("level", "牵头单位层级", level3, true, "省级/市级/县级"),
			col("leader_attended", "党委主要领导是否参加", Bool, true, "是/否"),
			col("org_credit_code", "涉及社会组织统一社会信用代码", Code18, false, "可空；填写时须为“社会组织”表中的信用代码"),
			intCol("headcount", "参加人数", 1, "整数，≥1，不少于“活动参加人员”表中本活动的人数"),
		}}

	parts := &Sheet{Key: SheetParticipants, Name: "活动参加人员", Aliases: []string{"参加人员"},
		Help: "参加本月活动的代表人士，每人每次活动一行",
		Columns: []Column{
			text("activity_id", "活动编号", true, "须为“联系活动”表中的活动编号"),
			col("id_number", "公民身份号码", ID18, true, "须为“代表人士”表中的身份证号；同一活动同一人只填一行", idAliases...),
		}}

	sugg := &Sheet{Key: SheetSuggestions, Name: "建言献策", Aliases: []string{"建言献策情况"},
		Help: "本月代表人士报送的建言献策，每条一行",
		Columns: []Column{
			col("date", "报送日期", Date, true, "须在报送月份内"),
			col("id_number", "建言人公民身份号码", ID18, true, "须为“代表人士”表中的身份证号", prefixed("建言人", idAliases)...),
			text("title", "标题", true, "建言标题"),
			enumCol("channel", "报送渠道", enum("社情民意信息", "政协提案", "人大建议", "调研报告", "其他"), true, "从下拉列表选择"),
			col("adopted", "是否被采纳", Bool, true, "是/否"),
		}}

	noms := &Sheet{Key: SheetNominations, Name: "提名举荐", Aliases: []string{"提名举荐情况"},
		Help: "本月对代表人士的提名举荐，每人次一行",
		Columns: []Column{
			col("date", "举荐日期", Date, true, "须在报送月份内"),
			col("id_number", "被举荐人公民身份号码", ID18, true, "须为“代表人士”表中的身份证号", prefixed("被举荐人", idAliases)...),
			enumCol("target", "举荐方向", enum("人大代表", "政协委员", "人民团体职务", "社会组织领导职务", "其他"), true, "从下拉列表选择"),
			enumCol("level", "层级", level4, true, "全国/省/市/县"),
			enumCol("outcome", "结果", enum("成功", "未成功", "待定").
				alias("成功", "已当选", "已任职", "当选", "任职").alias("未成功", "未当选", "未任职"), true, "成功/未成功/待定"),
		}}

	mech := &Sheet{Key: SheetMechanisms, Name: "工作机制", Aliases: []string{"工作机制情况", "制度建设"}, Items: true,
		Help: "本市社会组织统战工作机制，每项一行，均为必填",
		Columns: []Column{
			col("sys_friendship", "联谊交友制度", Bool, true, "是否已建立：是/否"),
			col("sys_visits", "定期走访制度", Bool, true, "是否已建立：是/否"),
			col("sys_information", "信息反映制度", Bool, true, "是否已建立：是/否"),
			col("sys_training", "培训考察制度", Bool, true, "是否已建立：是/否"),
			col("sys_role", "发挥作用制度", Bool, true, "是否已建立：是/否"),
			col("sys_commendation", "激励表彰制度", Bool, true, "是否已建立：是/否"),
			intCol("joint_meetings", "本月召开联席会议次数", 0, "整数，≥0"),
			col("budget_included", "工作经费是否纳入同级财政预算", Bool, true, "是/否"),
			{Key: "budget_wan_yuan", Name: "年度工作经费（万元）", Kind: Dec, Required: true, Min: 0, HasMin: true, Help: "数字，≥0，单位万元"},
			intCol("fulltime_cadres", "专职统战干部人数", 0, "整数，≥0"),
			col("federation_established", "是否成立社会组织联合会或促进会", Bool, true, "是/否"),
			intCol("typical_cases", "本月宣传典型案例数", 0, "整数，≥0"),
		}}

	all := []*Sheet{cover, orgs, reps, acts, parts, sugg, noms, mech}
	for _, s := range all {
		for i := range s.Columns {
			s.Columns[i].Width = width(s.Columns[i])
			s.Columns[i].Unit = units[s.Columns[i].Key]
		}
	}
	return all
}

// units are the columns' units (Column.Unit): the money in 万元 as the
// item's name says, the counts of people, meetings and cases as their
// help says.
var units = map[string]string{
	"budget_wan_yuan": "万元",
	"staff_total":     "人", "party_members": "人", "non_party_staff": "人", "non_party_leaders": "人",
	"headcount": "人", "fulltime_cadres": "人",
	"joint_meetings": "次",
	"typical_cases":  "个",
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// width fits the header and typical content in Excel's character units,
// counting a Chinese character as two.
func width(c Column) float64 {
	w := 0
	for _, r := range c.Name {
		if r > 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	switch c.Kind {
	case Code18, ID18:
		w = max(w, 22)
	case Date:
		w = max(w, 12)
	case Text:
		if c.MaxLen >= 100 || c.Key == "title" {
			w = max(w, 36)
		}
	}
	return float64(w + 2)
}

// BoolTrue and BoolFalse are the accepted spellings of a boolean.
var (
	BoolTrue  = []string{"是", "Y", "y", "√", "✓", "有", "TRUE", "true", "1"}
	BoolFalse = []string{"否", "N", "n", "×", "✗", "无", "FALSE", "false", "0"}
)
