package transform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/transform/records"
)

// The tables the migrations make must take exactly the columns ingest's
// Arrow batches bring, plus the keys the load adds.
func TestTablesMatchArrowSchemas(t *testing.T) {
	w, _ := openTest(t)
	book := spec.Load()
	for _, sh := range book.Sheets {
		rows, err := w.DB().Query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", sh.Key)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var name, typ string
			if err := rows.Scan(&name, &typ); err != nil {
				t.Fatal(err)
			}
			got = append(got, name+" "+typ)
		}
		rows.Close()
		want := []string{"submission_id BIGINT", "city_code VARCHAR"}
		if sh.Key != spec.SheetCover {
			want = append(want, "month VARCHAR")
		}
		duck := map[string]string{"utf8": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN", "date32": "DATE"}
		for _, f := range records.Fields(sh) {
			want = append(want, f.Name+" "+duck[f.Type.String()])
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("table %s:\n got %s\nwant %s", sh.Key, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
}

func TestMigrationsAppliedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	for i := 0; i < 2; i++ {
		w, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var n, max int
		if err := w.DB().QueryRow("SELECT count(*), max(version) FROM schema_version").Scan(&n, &max); err != nil {
			t.Fatal(err)
		}
		ms, _ := migrations()
		if n != len(ms) || max != SchemaVersion() || n == 0 {
			t.Errorf("open %d: %d migrations recorded, newest %d; want %d", i, n, max, SchemaVersion())
		}
		w.Close()
	}
	// A warehouse from a newer program is refused, not damaged.
	w, _ := Open(ctx, path, Options{})
	if _, err := w.DB().Exec("INSERT INTO schema_version VALUES (?, 'future', now())", SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := Open(ctx, path, Options{}); !errors.Is(err, ErrNewer) {
		t.Errorf("newer warehouse: got %v, want ErrNewer", err)
	}
}

func TestOpenBrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.duckdb")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, Options{})
	if err == nil || !strings.Contains(err.Error(), "无法打开数据库") {
		t.Errorf("got %v", err)
	}
}

func TestReadOnlyMissing(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "none.duckdb"), Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "找不到数据库") {
		t.Errorf("got %v", err)
	}
}

// A year of several cities, each city-month accepted once, the views
// showing exactly one workbook per city and month.
func TestYear(t *testing.T) {
	w, _ := openTest(t)
	dir := t.TempDir()
	cities := []spec.City{city(t, "沈阳市"), city(t, "大连市"), city(t, "铁岭市")}
	files := 0
	for m := 1; m <= 12; m++ {
		month := fmt.Sprintf("2026-%02d", m)
		for _, c := range cities {
			p := writeBook(t, dir, testbook.ValidFor(c, month), testbook.FileNameFor(c, month))
			l := submit(t, w, p)
			if l.Outcome != Accepted || l.Replaced != 0 || len(l.CrossCity) != 0 {
				t.Fatalf("%s: %+v", p, l)
			}
			files++
		}
	}
	got := counts(t, w)
	want := map[string]int64{
		"cur_submissions": int64(files), "cur_cover": int64(files), "cur_mechanisms": int64(files),
		"cur_organizations": int64(files * testbook.OrgCount), "cur_representatives": int64(files * testbook.RepCount),
		"cur_activities": int64(files * 2), "cur_participants": int64(files * 3),
		"cur_suggestions": int64(files), "cur_nominations": int64(files),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	// The same person is one hash across the months of a city, and
	// different in each city.
	var persons int
	if err := w.DB().QueryRow("SELECT count(DISTINCT id_hash) FROM cur_representatives").Scan(&persons); err != nil {
		t.Fatal(err)
	}
	if persons != len(cities)*testbook.RepCount {
		t.Errorf("%d distinct persons, want %d", persons, len(cities)*testbook.RepCount)
	}
	var cover string
	if err := w.DB().QueryRow("SELECT city_name || ' ' || month || ' ' || strftime(filled_on, '%Y-%m-%d') FROM cur_cover WHERE city_code = '211200' AND month = '2026-02'").Scan(&cover); err != nil {
		t.Fatal(err)
	}
	if cover != "铁岭市 2026-02 2026-03-03" {
		t.Errorf("cover = %q", cover)
	}
}

func TestResubmissionReplaces(t *testing.T) {
	w, _ := openTest(t)
	ctx := context.Background()
	dir := t.TempDir()
	c := city(t, testbook.City)
	first := writeBook(t, dir, testbook.Valid(), testbook.FileName)
	a := submit(t, w, first)

	b := testbook.Valid()
	addOrg(b, c, 99)
	b.Set("封面", 0, "填报日期", "2026-11-04")
	second := writeBook(t, t.TempDir(), b, testbook.FileName)
	l := submit(t, w, second)
	if l.Outcome != Accepted || l.Replaced != a.ID {
		t.Fatalf("resubmission: %+v, want accepted replacing %d", l, a.ID)
	}
	if got := outcomes(t, w); got != testbook.FileName+":superseded "+testbook.FileName+":accepted" {
		t.Errorf("history: %s", got)
	}
	got := counts(t, w)
	if got["cur_organizations"] != testbook.OrgCount+1 || got["organizations"] != 2*testbook.OrgCount+1 {
		t.Errorf("organizations: current %d, all %d", got["cur_organizations"], got["organizations"])
	}
	if got["cur_submissions"] != 1 {
		t.Errorf("%d current submissions", got["cur_submissions"])
	}
	var by int64
	if err := w.DB().QueryRowContext(ctx, "SELECT superseded_by FROM submissions WHERE id = ?", a.ID).Scan(&by); err != nil || by != l.ID {
		t.Errorf("superseded_by = %d (%v), want %d", by, err, l.ID)
	}
}

func TestSameFileTwice(t *testing.T) {
	w, _ := openTest(t)
	p := writeBook(t, t.TempDir(), testbook.Valid(), testbook.FileName)
	a := submit(t, w, p)
	before := counts(t, w)
	// The same bytes under another name are the same file.
	data, _ := os.ReadFile(p)
	copyPath := filepath.Join(t.TempDir(), "副本.xlsx")
	os.WriteFile(copyPath, data, 0o644)
	for _, path := range []string{p, copyPath} {
		l := submit(t, w, path)
		if l.Outcome != Unchanged || l.SameAs != a.ID || l.CityCode != testbook.CityCode || l.Month != testbook.Month {
			t.Errorf("%s again: %+v", path, l)
		}
	}
	if after := counts(t, w); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the same file changed the warehouse:\n%v\n%v", before, after)
	}
	if got := outcomes(t, w); got != testbook.FileName+":accepted "+testbook.FileName+":unchanged 副本.xlsx:unchanged" {
		t.Errorf("history: %s", got)
	}
}

func TestRejectedChangesNothing(t *testing.T) {
	w, _ := openTest(t)
	submit(t, w, writeBook(t, t.TempDir(), testbook.Valid(), testbook.FileName))
	before := counts(t, w)

	b := testbook.Valid()
	addOrg(b, city(t, testbook.City), 50)
	stranger := testbook.IDNumber("210102", "19880808", 111, true)
	b.Set("活动参加人员", 0, "公民身份号码", stranger) // E_REF: not a representative
	b.Set("社会组织", 0, "从业人员数", -1)          // E_RANGE
	l := submit(t, w, writeBook(t, t.TempDir(), b, testbook.FileName))
	if l.Outcome != Rejected || l.Errors < 2 {
		t.Fatalf("got %+v, want rejected with 2 errors", l)
	}
	after := counts(t, w)
	for k, v := range before {
		want := v
		if k == "findings" {
			want = v + int64(l.Errors+l.Warnings)
		}
		if after[k] != want {
			t.Errorf("%s: %d before, %d after", k, v, after[k])
		}
	}
	var outcome string
	var errs int
	if err := w.DB().QueryRow("SELECT outcome, errors FROM submissions WHERE id = ?", l.ID).Scan(&outcome, &errs); err != nil || outcome != Rejected || errs != l.Errors {
		t.Errorf("rejected attempt recorded as %s/%d (%v)", outcome, errs, err)
	}
	// Its findings are kept, the stranger's number masked.
	var value string
	if err := w.DB().QueryRow("SELECT value FROM findings WHERE submission_id = ? AND code = 'E_REF'", l.ID).Scan(&value); err != nil {
		t.Fatal(err)
	}
	if value != stranger[:6]+"********"+stranger[14:] {
		t.Errorf("E_REF value stored as %q", value)
	}
}

func TestFailureMidLoadLeavesWarehouseAsItWas(t *testing.T) {
	w, _ := openTest(t)
	a := submit(t, w, writeBook(t, t.TempDir(), testbook.Valid(), testbook.FileName))
	before, history := counts(t, w), outcomes(t, w)

	b := testbook.Valid()
	addOrg(b, city(t, testbook.City), 77)
	b.Set("封面", 0, "填报日期", "2026-11-05")
	p := writeBook(t, t.TempDir(), b, testbook.FileName)
	var copied []string
	w.afterSheet = func(sheet string) error {
		copied = append(copied, sheet)
		if sheet == spec.SheetRepresentatives {
			return errors.New("injected failure")
		}
		return nil
	}
	_, err := submitErr(w, p)
	if err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("got %v, want the injected failure", err)
	}
	if len(copied) < 3 {
		t.Fatalf("failure injected after %v: not in the middle of the load", copied)
	}
	if after := counts(t, w); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a failed load changed the warehouse:\n%v\n%v", before, after)
	}
	if got := outcomes(t, w); got != history {
		t.Errorf("history changed: %s -> %s", history, got)
	}
	// The connection and the warehouse still work: the same file loads now.
	w.afterSheet = nil
	l := submit(t, w, p)
	if l.Outcome != Accepted || l.Replaced != a.ID {
		t.Errorf("retry: %+v", l)
	}
}

func TestCrossCityWarnings(t *testing.T) {
	w, _ := openTest(t)
	dir := t.TempDir()
	sy, dl := city(t, "沈阳市"), city(t, "大连市")
	a := testbook.ValidFor(sy, "2026-05")
	submit(t, w, writeBook(t, dir, a, testbook.FileNameFor(sy, "2026-05")))

	b := testbook.ValidFor(dl, "2026-05")
	sharedOrg := a.Get("社会组织", 0, "统一社会信用代码").(string)
	sharedRep := a.Get("代表人士", 1, "公民身份号码").(string)
	replaceAll(b, b.Get("社会组织", 0, "统一社会信用代码").(string), sharedOrg)
	replaceAll(b, b.Get("代表人士", 1, "公民身份号码").(string), sharedRep)
	// Another month of 大连 with the same person is no cross-city case.
	bp := writeBook(t, dir, b, testbook.FileNameFor(dl, "2026-05"))
	l := submit(t, w, bp)
	if l.Outcome != Accepted {
		t.Fatalf("%+v", l)
	}
	var codes []string
	for _, f := range l.CrossCity {
		codes = append(codes, fmt.Sprintf("%s@%s%d", f.Code, f.Column, f.Row))
		if strings.Contains(f.Message, sharedRep) || strings.Contains(f.Value, sharedRep) {
			t.Errorf("cross-city finding shows the clear ID: %+v", f)
		}
		if !strings.Contains(f.Message, "沈阳市") {
			t.Errorf("message does not name the other city: %s", f.Message)
		}
	}
	if got := strings.Join(codes, " "); got != "W_CROSS_CITY_ORG@A2 W_CROSS_CITY_REP@A3" {
		t.Errorf("cross-city findings: %s", got)
	}
	var stored, warnings int
	if err := w.DB().QueryRow("SELECT count(*) FROM findings WHERE submission_id = ? AND code LIKE 'W_CROSS_CITY_%'", l.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if err := w.DB().QueryRow("SELECT warnings FROM submissions WHERE id = ?", l.ID).Scan(&warnings); err != nil {
		t.Fatal(err)
	}
	if stored != 2 || warnings != l.Warnings || warnings < 2 {
		t.Errorf("stored %d cross-city findings, warnings %d (loaded says %d)", stored, warnings, l.Warnings)
	}
	// The same people in the next month of one city only: no warning.
	c := testbook.ValidFor(dl, "2026-06")
	replaceAll(c, c.Get("代表人士", 1, "公民身份号码").(string), sharedRep)
	if l := submit(t, w, writeBook(t, dir, c, testbook.FileNameFor(dl, "2026-06"))); len(l.CrossCity) != 0 {
		t.Errorf("a person in one city in another month gave %v", l.CrossCity)
	}
}

func TestKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "ufa.duckdb")

	// A new warehouse without a key gets one, readable by its owner only.
	k, err := ResolveKey(db, KeySource{}, true)
	if err != nil || !k.Created || k.Path != db+".key" || len(k.Bytes) != 32 {
		t.Fatalf("new warehouse: %+v %v", k, err)
	}
	st, err := os.Stat(k.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v (%v)", st.Mode().Perm(), err)
	}
	// Next time it is found beside the warehouse.
	k2, err := ResolveKey(db, KeySource{}, false)
	if err != nil || string(k2.Bytes) != string(k.Bytes) || k2.Created {
		t.Errorf("existing key: %+v %v", k2, err)
	}
	// Without it, an existing warehouse refuses.
	os.Rename(k.Path, filepath.Join(dir, "moved.key"))
	if _, err := ResolveKey(db, KeySource{}, false); !errors.Is(err, ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	k3, err := ResolveKey(db, KeySource{File: filepath.Join(dir, "moved.key")}, false)
	if err != nil || string(k3.Bytes) != string(k.Bytes) {
		t.Errorf("--key-file: %v", err)
	}
	if k, err := ResolveKey(db, KeySource{Demo: true}, false); err != nil || !k.Demo || string(k.Bytes) != string(DemoKey()) {
		t.Errorf("demo: %+v %v", k, err)
	}
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("abcd\n"), 0o600)
	if _, err := ResolveKey(db, KeySource{File: short}, false); err == nil {
		t.Error("short key accepted")
	}

	// The warehouse remembers the first key and refuses another.
	w, err := Open(ctx, db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.UseKey(ctx, k.Bytes); err != nil {
		t.Fatal(err)
	}
	if err := w.UseKey(ctx, k.Bytes); err != nil {
		t.Errorf("same key again: %v", err)
	}
	if err := w.UseKey(ctx, DemoKey()); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("other key: %v", err)
	}
}

// Received workbooks wait as Arrow batches (their cells dropped), may be
// received at once on several goroutines, and are released whether or not
// they were taken (the checked allocator of openTest sees every batch).
func TestReceiveTakeRelease(t *testing.T) {
	w, _ := openTest(t)
	ctx := context.Background()
	dir := t.TempDir()
	var paths []string
	for _, name := range []string{"沈阳市", "大连市", "锦州市"} {
		c := city(t, name)
		paths = append(paths, writeBook(t, dir, testbook.ValidFor(c, "2026-08"), testbook.FileNameFor(c, "2026-08")))
	}
	preps := make([]*Incoming, len(paths))
	errs := make(chan error, len(paths))
	for i, p := range paths {
		go func() {
			var err error
			preps[i], err = w.Receive(ctx, File{Name: filepath.Base(p), SHA256: fmt.Sprint(i)},
				func() *ingest.Result { return ingest.Validate(ctx, w.book, p, ingest.Options{}) })
			errs <- err
		}()
	}
	for range paths {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range preps {
		for _, tb := range p.Result().Workbook.Tables {
			if len(tb.Rows) != 0 {
				t.Fatalf("sheet %s keeps its cells after Receive", tb.Spec.Key)
			}
		}
	}
	// The last one is never stored: only released.
	for i, p := range preps[:2] {
		l, err := w.Take(ctx, p)
		if err != nil || l.Outcome != Accepted || l.Rows == 0 {
			t.Fatalf("store %d: %+v %v", i, l, err)
		}
		p.Release()
	}
	preps[2].Release()
	preps[2].Release() // twice is harmless
	preps[2].File = File{Name: "x.xlsx", SHA256: "x"}
	if _, err := w.Take(ctx, preps[2]); err == nil {
		t.Error("a released workbook was stored")
	}
	if n, _ := w.Count(ctx, "cur_submissions"); n != 2 {
		t.Errorf("%d current submissions, want 2", n)
	}
}
