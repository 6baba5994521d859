package metrics

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"ufa/internal/sqlfile"
)

// Every refusal of an indicator file names the file, the line and the
// fault (issue 12: TestParseDefinitionRefuses checks only that an error
// comes back, which a refusal for the wrong reason also satisfies).
func TestParseDefinitionRefusesWhy(t *testing.T) {
	const head = "-- name: x\n-- unit: count\n-- group: g\n-- province: union\n"
	for _, c := range []struct{ text, want string }{
		{"-- unit: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n", "sql/x.sql:1: no name"},
		{"-- name: x\n-- unit: percent\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n", `sql/x.sql:1: unit "percent" is not one of`},
		{"-- name: x\n-- unit: count\n-- province: union\n-- @value\nSELECT 1\n", "sql/x.sql:1: no group"},
		{"-- name: x\n-- unit: count\n-- group: g\n-- province: average\n-- @value\nSELECT 1\n", `sql/x.sql:1: province "average" is not one of`},
		{head + "-- window: 6m\n-- @value\nSELECT 1\n", `sql/x.sql:1: window "6m" is not 3m or ytd`},
		{head + "-- numerator: a\n-- @value\nSELECT 1\n", "sql/x.sql:1: a ratio needs both"},
		{head + "-- denominator: b\n-- @value\nSELECT 1\n", "sql/x.sql:1: a ratio needs both"},
		{head, "sql/x.sql:1: no @value section"},
		{head + "-- @value\n\n", "sql/x.sql:5: empty section 1"},
		{head + "-- @value\nSELECT 1\n-- @rows 明细\n", "sql/x.sql:7: empty section 2"},
		{head + "-- @value\nSELECT 1\n-- @value\nSELECT 2\n", "sql/x.sql:7: @value must be the first section, and only one"},
		{head + "-- @rows 明细\nSELECT 2\n", "sql/x.sql:5: @rows before @value"},
		{head + "-- @value\nSELECT 1\n-- @rows\nSELECT 2\n", "sql/x.sql:7: @rows needs a title"},
		{head + "-- @value\nSELECT 1\n-- @rows   \nSELECT 2\n", "sql/x.sql:7: @rows needs a title"},
		{head + "-- @values\nSELECT 1\n", "sql/x.sql:5: unknown section @values"},
		{head + "SELECT 1\n-- @value\nSELECT 1\n", "sql/x.sql:5: SQL before the first section"},
		{head + "-- order: first\n-- @value\nSELECT 1\n", `sql/x.sql:5: order "first" is not a number`},
		{head + "-- scale: 0\n-- @value\nSELECT 1\n", `sql/x.sql:5: scale "0" is not a positive number`},
		{head + "-- scale: -100\n-- @value\nSELECT 1\n", `sql/x.sql:5: scale "-100" is not a positive number`},
		{head + "-- scale: many\n-- @value\nSELECT 1\n", `sql/x.sql:5: scale "many" is not a positive number`},
		{"-- name: x\n-- units: count\n-- group: g\n-- province: union\n-- @value\nSELECT 1\n", `sql/x.sql:2: unknown header "units"`},
	} {
		_, err := parseDefinitionText("sql/x.sql", c.text)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

// A file the parser accepts gives every header, the doc (free comment
// lines, blank lines skipped), the value query and the titled row queries.
func TestParseDefinitionFields(t *testing.T) {
	text := "-- name: 某比率\n-- unit: rate\n-- group: 组织覆盖\n-- order: 120\n-- province: union\n-- window: 3m\n" +
		"-- scale: 100\n-- numerator: party_org_count\n-- denominator: org_count\n" +
		"-- The first line of the doc.\n\n-- The second: with a colon.\n" +
		"-- @value\nSELECT 1\n\n-- @rows 明细 一\nSELECT 2\n-- @rows  明细二 \nSELECT 3\n"
	d, err := parseDefinitionText("sql/some_ratio.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	want := Definition{ID: "some_ratio", Name: "某比率", Unit: UnitRate, Group: "组织覆盖", Order: 120, Province: ProvinceUnion,
		Window: "3m", Scale: 100, Numerator: "party_org_count", Denominator: "org_count",
		Doc: "The first line of the doc. The second: with a colon.", file: "sql/some_ratio.sql",
		value: "SELECT 1", rows: []rowQuery{{"明细 一", "SELECT 2"}, {"明细二", "SELECT 3"}}}
	if d.ID != want.ID || d.Name != want.Name || d.Unit != want.Unit || d.Group != want.Group || d.Order != want.Order ||
		d.Province != want.Province || d.Window != want.Window || d.Scale != want.Scale || d.Numerator != want.Numerator ||
		d.Denominator != want.Denominator || d.Doc != want.Doc || d.file != want.file || d.value != want.value ||
		!slices.Equal(d.rows, want.rows) {
		t.Errorf("parsed\n%+v\nwant\n%+v", d, want)
	}
	if !d.IsRatio() || !d.Scored() {
		t.Errorf("IsRatio %v, Scored %v: want both", d.IsRatio(), d.Scored())
	}
	plain, err := parseDefinitionText("sql/n.sql", "-- name: n\n-- unit: count\n-- group: g\n-- province: sum\n-- @value\nSELECT 1\n")
	if err != nil {
		t.Fatal(err)
	}
	if plain.Scale != 1 || plain.IsRatio() || plain.Window != "" || len(plain.rows) != 0 {
		t.Errorf("plain file: scale %v, ratio %v, window %q, %d row queries", plain.Scale, plain.IsRatio(), plain.Window, len(plain.rows))
	}
}

// Files are ordered by the group's place in groupOrder (an unknown group
// after the known ones), then by order, then by id; score and rank come
// after the files of 综合评价.
func TestLoadDefinitionsOrder(t *testing.T) {
	file := func(group, order string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("-- name: n\n-- unit: count\n-- group: " + group + "\n-- order: " + order +
			"\n-- province: sum\n-- @value\nSELECT 1\n")}
	}
	fsys := fstest.MapFS{
		"sql/b.sql": file("报送情况", "10"),
		"sql/a.sql": file("报送情况", "10"),
		"sql/c.sql": file("报送情况", "5"),
		"sql/d.sql": file("新的组", "1"),
		"sql/e.sql": file("组织覆盖", "99"),
		"sql/f.sql": file("综合评价", "999"),
		"sql/g.sql": file("代表人士", "1"),
	}
	defs, err := loadDefinitions(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range defs {
		got = append(got, d.ID)
	}
	want := []string{"score", "rank", "f", "e", "g", "c", "a", "b", "d"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	fsys["sql/h.sql"] = &fstest.MapFile{Data: []byte("-- name: h\n")}
	if _, err := loadDefinitions(fsys); err == nil || !strings.Contains(err.Error(), "sql/h.sql") {
		t.Errorf("a broken file: error %v, want one naming sql/h.sql", err)
	}
}

// parseDefinitionText parses an indicator file's text as the package reads
// it from disk: through sqlfile, then parseDefinition.
func parseDefinitionText(name, text string) (Definition, error) {
	f, err := sqlfile.Parse(name, text)
	if err != nil {
		return Definition{}, err
	}
	return parseDefinition(f)
}
