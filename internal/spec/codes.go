package spec

// Code is a finding code of submission.md ("Findings"), with its severity
// ("error" stops the workbook, "warning" does not) and what it means.
type Code struct {
	Code     string
	Severity string
	Meaning  string
}

// Codes are the finding codes a single workbook can carry, in
// submission.md's order, with the codes this program adds where the
// contract is silent (E_UNIT: docs/decisions.md). The cross-city warnings
// of ingest (W_CROSS_CITY_*) are not findings of one workbook.
var Codes = []Code{
	{"E_FILE", "error", "the file cannot be opened or read safely"},
	{"E_SHEET_MISSING", "error", "a required sheet is absent"},
	{"E_COLUMN_MISSING", "error", "a required column is absent from the header row"},
	{"E_UNIT", "error", "a header or item names a unit other than the contract's (年度工作经费（元） where the contract says 万元)"},
	{"E_COVER", "error", "cover city or month missing, invalid, or disagreeing with the command line or the file name"},
	{"E_REQUIRED", "error", "a required cell is empty"},
	{"E_TYPE", "error", "not a number, date or boolean where one is needed"},
	{"E_ENUM", "error", "not one of the allowed values (including an unknown county)"},
	{"E_CREDIT_CODE", "error", "not a valid unified social credit code"},
	{"E_ID_NUMBER", "error", "not a valid resident ID number, or an impossible birth date or age"},
	{"E_DUPLICATE", "error", "a key repeated within its sheet"},
	{"E_REF", "error", "a reference to an organization, person or activity not in the workbook"},
	{"E_RANGE", "error", "a negative number, or a date outside what the rule allows"},
	{"E_CONSISTENCY", "error", "fields of one row, or of related rows, contradict each other"},
	{"W_COLUMN_UNKNOWN", "warning", "a column or item the template does not have; ignored"},
	{"W_CODE_CATEGORY", "warning", "a market intermediary whose credit code is not from justice administration or market regulation"},
	{"W_DIVISION", "warning", "a credit code registered outside the city and outside the province's own level"},
	{"W_KEY_CONTACT_NOT_IN_POOL", "warning", "a key contact who is not in the talent pool"},
	{"W_TEMPLATE_VERSION", "warning", "another template version"},
	{"W_OUTLIER", "warning", "a value far outside the usual range"},
}

// Unit is a unit a header note may name: its family (money, people,
// times, items) and its size in the family's base unit, so that a
// message can say how to convert.
type Unit struct {
	Name   string
	Family string
	Scale  float64
}

// Units are the units recognised in header and item notes
// (年度工作经费（元）, 从业人员数（万人）). A note naming one of them on a
// column whose Unit differs is E_UNIT.
var Units = []Unit{
	{"元", "money", 1}, {"千元", "money", 1e3}, {"万元", "money", 1e4}, {"百万元", "money", 1e6}, {"亿元", "money", 1e8},
	{"人", "people", 1}, {"名", "people", 1}, {"位", "people", 1}, {"百人", "people", 1e2}, {"千人", "people", 1e3}, {"万人", "people", 1e4},
	{"人次", "people", 1}, {"万人次", "people", 1e4},
	{"次", "times", 1}, {"场", "times", 1}, {"场次", "times", 1},
	{"个", "items", 1}, {"件", "items", 1}, {"篇", "items", 1},
}

// LookupUnit finds a unit by name.
func LookupUnit(name string) (Unit, bool) {
	for _, u := range Units {
		if u.Name == name {
			return u, true
		}
	}
	return Unit{}, false
}
