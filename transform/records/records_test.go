package records

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"ufa/ingest/model"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
)

var arrowTestKey = []byte("0123456789abcdef0123456789abcdef")

// arrowBook builds a workbook as the reader would hand it over: every
// sheet of the contract, values set by column key.
func arrowBook(t *testing.T, book *spec.Book, rows map[string][]map[string]model.Value) *model.Workbook {
	t.Helper()
	wb := &model.Workbook{Tables: map[string]*model.Table{}}
	for _, sh := range book.Sheets {
		tb := &model.Table{Spec: sh, Name: sh.Name, Cols: make([]string, len(sh.Columns))}
		for i, r := range rows[sh.Key] {
			vals := make([]model.Value, len(sh.Columns))
			for k, v := range r {
				c := sh.ColumnIndex(k)
				if c < 0 {
					t.Fatalf("no column %s in %s", k, sh.Key)
				}
				vals[c] = v
			}
			tb.Rows = append(tb.Rows, model.Row{Line: i + 2, Values: vals})
		}
		wb.Tables[sh.Key] = tb
	}
	return wb
}

func arrowS(v string) model.Value  { return model.Value{S: v, OK: true} }
func arrowN(v float64) model.Value { return model.Value{N: v, OK: true} }

func TestFieldsFollowTheSpec(t *testing.T) {
	book := spec.Load()
	names := func(key string) string {
		var out []string
		for _, f := range Fields(book.Sheet(key)) {
			out = append(out, f.Name)
		}
		return strings.Join(out, ",")
	}
	tests := []struct{ sheet, want string }{
		{spec.SheetCover, "city_name,month,filled_by,phone,filled_on,template_version"},
		{spec.SheetParticipants, "excel_row,activity_id,id_hash,id_masked,birth_year,gender"},
		{spec.SheetRepresentatives, "excel_row,id_hash,id_masked,birth_year,name,gender,political_status,education,org_credit_code,position,is_org_leader,is_new_media,in_talent_pool,key_contact,npc_level,cppcc_level,leader_paired,listed_on"},
		{spec.SheetSuggestions, "excel_row,date,id_hash,id_masked,birth_year,gender,title,channel,adopted"},
	}
	for _, tt := range tests {
		if got := names(tt.sheet); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.sheet, got, tt.want)
		}
	}
	// No sheet keeps a clear ID column, and every spec column is in the list.
	for _, sh := range book.Sheets {
		seen := map[int]bool{}
		for _, f := range Fields(sh) {
			if f.Name == "id_number" {
				t.Errorf("%s keeps id_number in clear", sh.Key)
			}
			seen[f.Col] = true
		}
		for i := range sh.Columns {
			if !seen[i] {
				t.Errorf("%s: column %s missing from Fields", sh.Key, sh.Columns[i].Key)
			}
		}
	}
}

func TestRecords(t *testing.T) {
	book := spec.Load()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	man, woman := testbook.Rep(0), testbook.Rep(1)
	founded := model.DateValue(time.Date(2010, 5, 4, 0, 0, 0, 0, time.UTC))
	wb := arrowBook(t, book, map[string][]map[string]model.Value{
		spec.SheetCover: {{"city": arrowS("沈阳市"), "month": arrowS("2026-10"), "filled_on": model.DateValue(time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))}},
		spec.SheetOrganizations: {
			{"credit_code": arrowS(testbook.Org(0)), "name": arrowS("协会"), "staff_total": arrowN(25), "has_party_org": arrowN(1), "founded_on": founded},
			{"credit_code": arrowS(testbook.Org(1)), "name": arrowS("学校"), "staff_total": arrowN(40), "has_party_org": arrowN(0)},
		},
		spec.SheetRepresentatives: {
			{"id_number": arrowS(man), "name": arrowS("李明"), "npc_level": arrowS("市"), "leader_paired": arrowN(1)},
			{"id_number": arrowS(strings.ToLower(woman)), "name": arrowS("王芳")}, // empty npc_level / leader_paired
		},
		spec.SheetParticipants: {{"activity_id": arrowS("A1"), "id_number": arrowS(man)}, {"activity_id": arrowS("A1"), "id_number": arrowS(woman)}},
		spec.SheetMechanisms:   {{"budget_wan_yuan": arrowN(12.5), "sys_visits": arrowN(1)}},
	})

	recs, err := Records(mem, wb, arrowTestKey)
	if err != nil {
		t.Fatal(err)
	}
	defer ReleaseRecords(recs)
	if len(recs) != len(book.Sheets) {
		t.Fatalf("got %d records, want one per sheet (%d)", len(recs), len(book.Sheets))
	}
	for _, sh := range book.Sheets {
		if !recs[sh.Key].Schema().Equal(Schema(sh)) {
			t.Errorf("%s: record schema differs from Schema()", sh.Key)
		}
	}

	col := func(sheet, name string) arrow.Array {
		r := recs[sheet]
		idx := r.Schema().FieldIndices(name)
		if len(idx) != 1 {
			t.Fatalf("%s has no column %s", sheet, name)
		}
		return r.Column(idx[0])
	}
	hashMan, _ := IDHash(arrowTestKey, man)
	hashWoman, _ := IDHash(arrowTestKey, woman)

	if got := col(spec.SheetCover, "city_name").(*array.String).Value(0); got != "沈阳市" {
		t.Errorf("cover city_name = %q", got)
	}
	if got := col(spec.SheetCover, "filled_on").(*array.Date32).Value(0).ToTime(); !got.Equal(time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("cover filled_on = %v", got)
	}
	orgs := recs[spec.SheetOrganizations]
	if orgs.NumRows() != 2 {
		t.Fatalf("organizations rows = %d", orgs.NumRows())
	}
	if got := col(spec.SheetOrganizations, "excel_row").(*array.Int32).Int32Values(); got[0] != 2 || got[1] != 3 {
		t.Errorf("excel_row = %v", got)
	}
	if got := col(spec.SheetOrganizations, "staff_total").(*array.Int64).Value(1); got != 40 {
		t.Errorf("staff_total = %d", got)
	}
	if f := col(spec.SheetOrganizations, "founded_on").(*array.Date32); f.Value(0) != arrow.Date32(founded.Days()) || !f.IsNull(1) {
		t.Errorf("founded_on: %v null(1)=%v", f.Value(0), f.IsNull(1))
	}
	if b := col(spec.SheetOrganizations, "has_party_org").(*array.Boolean); !b.Value(0) || b.Value(1) {
		t.Error("has_party_org wrong")
	}

	h := col(spec.SheetRepresentatives, "id_hash").(*array.String)
	if h.Value(0) != hashMan || h.Value(1) != hashWoman {
		t.Errorf("id_hash = %s, %s; a lower-case x must hash like the upper-case one", h.Value(0), h.Value(1))
	}
	if len(hashMan) != 64 {
		t.Errorf("hash is not 64 hex characters: %q", hashMan)
	}
	if got := col(spec.SheetRepresentatives, "id_masked").(*array.String).Value(0); got != man[:6]+"********"+man[14:] {
		t.Errorf("id_masked = %s", got)
	}
	if got := col(spec.SheetRepresentatives, "birth_year").(*array.Int32).Int32Values(); got[0] != 1980 || got[1] != 1975 {
		t.Errorf("birth_year = %v", got)
	}
	if got := col(spec.SheetRepresentatives, "npc_level").(*array.String); got.Value(0) != "市" || got.Value(1) != "无" {
		t.Errorf("npc_level = %s, %s (empty means 无)", got.Value(0), got.Value(1))
	}
	if got := col(spec.SheetRepresentatives, "leader_paired").(*array.Boolean); !got.Value(0) || got.IsNull(1) || got.Value(1) {
		t.Errorf("leader_paired: empty must mean 否")
	}
	if got := col(spec.SheetParticipants, "gender").(*array.String); got.Value(0) != "男" || got.Value(1) != "女" {
		t.Errorf("participants gender = %s, %s", got.Value(0), got.Value(1))
	}
	if got := col(spec.SheetParticipants, "id_hash").(*array.String).Value(1); got != hashWoman {
		t.Errorf("participant hash differs from the representative's")
	}
	if got := col(spec.SheetMechanisms, "budget_wan_yuan").(*array.Float64).Value(0); got != 12.5 {
		t.Errorf("budget = %v", got)
	}
	if recs[spec.SheetMechanisms].NumRows() != 1 {
		t.Errorf("an item sheet is one row")
	}

	// No clear ID number in any string column of any record.
	for k, r := range recs {
		for i, c := range r.Columns() {
			sc, ok := c.(*array.String)
			if !ok {
				continue
			}
			for j := 0; j < sc.Len(); j++ {
				v := strings.ToUpper(sc.Value(j))
				if v == man || v == woman {
					t.Errorf("%s.%s row %d holds a clear ID", k, r.ColumnName(i), j)
				}
			}
		}
	}
}

func TestRecordsRefusesShortKey(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	wb := arrowBook(t, spec.Load(), nil)
	for _, key := range [][]byte{nil, []byte("short")} {
		if recs, err := Records(mem, wb, key); err == nil {
			ReleaseRecords(recs)
			t.Errorf("key %q accepted", key)
		}
	}
}

func TestIDHashDependsOnKey(t *testing.T) {
	a, _ := IDHash(arrowTestKey, testbook.Rep(0))
	b, _ := IDHash([]byte("another key of 32 bytes, really!"), testbook.Rep(0))
	if a == b {
		t.Error("two keys give the same hash")
	}
}

func TestFindingsRecordMasks(t *testing.T) {
	book := spec.Load()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	id := testbook.Rep(2)
	fs := []model.Finding{
		{Severity: model.Error, Code: "E_REF", Sheet: "活动参加人员", Row: 4, Column: "B", Field: "id_number", Value: id + "1",
			Message: "身份证号 " + id + " 不在“代表人士”表中"},
		{Severity: model.Error, Code: "E_FILE", Message: "无法打开"},
	}
	rec := FindingsRecord(mem, book, fs, 7)
	defer rec.Release()
	if rec.NumRows() != 2 {
		t.Fatalf("rows = %d", rec.NumRows())
	}
	if got := rec.Column(0).(*array.Int32).Int32Values(); got[0] != 7 || got[1] != 8 {
		t.Errorf("seq = %v", got)
	}
	for i, c := range rec.Columns() {
		if sc, ok := c.(*array.String); ok {
			for j := 0; j < sc.Len(); j++ {
				if strings.Contains(sc.Value(j), id[6:14]) {
					t.Errorf("%s row %d keeps the birth date of an ID: %q", rec.ColumnName(i), j, sc.Value(j))
				}
			}
		}
	}
	if !rec.Column(4).IsNull(1) || !rec.Column(3).IsNull(1) {
		t.Error("a file-level finding has no sheet and row")
	}
}
