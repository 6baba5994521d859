package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/transform"
)

// The hand-made fixture: three cities, three months (2025-12, 2026-01,
// 2026-02), loaded through the real path (testbook workbooks written with
// excelize, ingest.Validate, transform's Submit), and computed for 2026-02,
// whose 3m window is 2025-12..2026-02 and whose ytd window is 2026-01..02.
//
//	A 沈阳市 210100  Dec, Jan, Feb; Feb submitted on time (filed 03-03),
//	                 then resubmitted late (filed 03-08): the resubmission
//	                 holds the figures, on_time stays 1.
//	B 大连市 210200  Dec, skips Jan, Feb late (filed 03-09), and sends the
//	                 same Feb file again (unchanged).
//	C 鞍山市 210300  Dec, Jan; its only Feb attempt is rejected (1 error):
//	                 it skipped Feb.
//
// Organization X (B's first organization, 51 210200 ...1) and person P
// (B's first representative) are reported by A too in Feb, with other
// facts, so the province must count them once and OR their flags.
//
// Every workbook starts as testbook.ValidFor(city, month):
//
//	organizations  o0 社会团体 行业协会商会 party 是 liaison 是 staff 25 (5 members, 20 non-party) leaders 2
//	               o1 民办非企业单位 教育   party 否 liaison 是 staff 40 (0, 40)  leaders 1
//	               o2 基金会 慈善公益       party 否 liaison 否 staff 12 (3, 9)   leaders 0
//	representatives r0 talent 是 key 是 new-media 否 npc 市   (org o0)
//	               r1 talent 是 key 否 new-media 是           (org o1)
//	               r2 talent 否 key 否 new-media 否 cppcc 省 (org o2)
//	activities     01 走访 day 12 leader 是, participants r0
//	               02 培训 day 20 leader 否, participants r0, r1
//	suggestions    day 15 by r1, adopted 是
//	nominations    day 22 r0, 政协委员, 待定
//	mechanisms     sys 是 是 否 是 否 否 (3 of 6), joint meetings 1, budget 是,
//	               cadres 3, federation 否, typical cases 0
//	cover          filed on the 3rd of the next month
type fixture struct {
	db      *sql.DB
	w       *transform.Warehouse
	A, B, C spec.City
	// Submission ids by name (aDec, aJan, aFeb1, aFeb2, bDec, bFeb, ...).
	ids map[string]int64
	// submit writes a workbook and loads it like ufa ingest, expecting
	// wantErrors errors; it returns the file's path.
	submit func(name string, b *testbook.Book, city spec.City, month, received string, wantErrors int) string
}

var fixtureKey = []byte("metrics fixture key, 32 bytes ok")

func mustCity(t testing.TB, book *spec.Book, name string) spec.City {
	t.Helper()
	c, ok := book.City(name)
	if !ok {
		t.Fatalf("no city %s", name)
	}
	return c
}

// rep returns the ID of representative i of ValidFor(city, ...).
func rep(c spec.City, i int) string {
	return []string{
		testbook.IDNumber(c.Counties[0].Code, "19800307", 123, true),
		testbook.IDNumber(c.Counties[0].Code, "19751120", 246, false),
		testbook.IDNumber(c.Counties[0].Code, "19900101", 357, true),
	}[i]
}

// org returns the credit code of organization i of ValidFor(city, ...).
func org(c spec.City, i int) string {
	return []string{
		testbook.CreditCode("51", c.Code, 1),
		testbook.CreditCode("52", c.Counties[1%len(c.Counties)].Code, 2),
		testbook.CreditCode("53", c.Code, 3),
	}[i]
}

func actID(c spec.City, month string, n int) string {
	return fmt.Sprintf("%s-%s-%02d", c.Code, month, n)
}

// setParticipants replaces the participants sheet's rows.
func setParticipants(b *testbook.Book, rows ...[]any) {
	s := b.Sheet("活动参加人员")
	s.Rows = append(s.Rows[:1], rows...)
}

func addRow(b *testbook.Book, sheet string, row ...any) {
	s := b.Sheet(sheet)
	s.Rows = append(s.Rows, row)
}

func buildFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	book := spec.Load()
	dir := t.TempDir()
	w, err := transform.Open(ctx, filepath.Join(dir, "ufa.duckdb"), transform.Options{Book: book})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.UseKey(ctx, fixtureKey); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: w.DB(), w: w, ids: map[string]int64{},
		A: mustCity(t, book, "沈阳市"), B: mustCity(t, book, "大连市"), C: mustCity(t, book, "鞍山市")}
	A, B, C := f.A, f.B, f.C
	X, P := org(B, 0), rep(B, 0)
	a3 := testbook.IDNumber(A.Counties[0].Code, "19850505", 468, false)

	// write writes a workbook under its usual file name, in a folder of
	// its own (a resubmission has the same name as the first).
	write := func(name string, b *testbook.Book, file string) string {
		t.Helper()
		sub := filepath.Join(dir, name)
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		p, err := b.WriteIn(sub, file)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// submitFile does what ufa ingest does for one file.
	submitFile := func(name, p, received string, wantErrors int) {
		t.Helper()
		sha, err := transform.HashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		at, err := time.Parse("2006-01-02 15:04", received)
		if err != nil {
			t.Fatal(err)
		}
		fl := transform.File{Name: filepath.Base(p), SHA256: sha, Received: at}
		var l transform.Loaded
		res := ingest.Validate(ctx, book, p, ingest.Options{})
		if l, err = w.Submit(ctx, fl, res); err != nil {
			t.Fatal(err)
		}
		if l.Outcome != transform.Unchanged && res.Errors() != wantErrors {
			for _, fd := range res.Findings {
				t.Logf("%s: %s %s %s!%s%d %q %s", name, fd.Severity, fd.Code, fd.Sheet, fd.Column, fd.Row, fd.Value, fd.Message)
			}
			t.Fatalf("%s: %d errors, want %d", name, res.Errors(), wantErrors)
		}
		f.ids[name] = l.ID
	}
	submit := func(name string, b *testbook.Book, city spec.City, month, received string, wantErrors int) string {
		t.Helper()
		p := write(name, b, testbook.FileNameFor(city, month))
		submitFile(name, p, received, wantErrors)
		return p
	}
	f.submit = submit

	// December 2025: A, B, C as testbook makes them.
	submit("aDec", testbook.ValidFor(A, "2025-12"), A, "2025-12", "2026-01-03 09:00", 0)
	submit("bDec", testbook.ValidFor(B, "2025-12"), B, "2025-12", "2026-01-03 10:00", 0)
	submit("cDec", testbook.ValidFor(C, "2025-12"), C, "2025-12", "2026-01-03 11:00", 0)

	// January 2026: A and C; B skips the month.
	// A adds a4th representative a3 (who leaves in Feb); activity 02 is a
	// 研讨学习 with the leader, attended by r1 and a3; the nomination
	// succeeds; a3 hands in a second suggestion, adopted.
	aJan := testbook.ValidFor(A, "2026-01")
	addRow(aJan, "代表人士", a3, "孙丽", "女", "九三学社", "大学本科", org(A, 0), "", "否", "否", "否", "否", "", "", "", "2025-06-01")
	aJan.Set("联系活动", 1, "活动类型", "研讨学习")
	aJan.Set("联系活动", 1, "党委主要领导是否参加", "是")
	setParticipants(aJan,
		[]any{actID(A, "2026-01", 1), rep(A, 0)},
		[]any{actID(A, "2026-01", 2), rep(A, 1)},
		[]any{actID(A, "2026-01", 2), a3})
	aJan.Set("提名举荐", 0, "结果", "成功")
	addRow(aJan, "建言献策", "2026-01-16", a3, "关于行业协会规范发展的建议", "调研报告", "是")
	submit("aJan", aJan, A, "2026-01", "2026-02-03 09:00", 0)
	submit("cJan", testbook.ValidFor(C, "2026-01"), C, "2026-01", "2026-02-03 11:00", 0)

	// February 2026.
	// A's first workbook, on time (filed 03-03), later superseded.
	submit("aFeb1", testbook.ValidFor(A, "2026-02"), A, "2026-02", "2026-03-03 09:00", 0)
	// C's only attempt: the phone left empty, one error: rejected.
	cFeb := testbook.ValidFor(C, "2026-02")
	cFeb.Set("封面", 0, "联系电话", "")
	submit("cFeb", cFeb, C, "2026-02", "2026-03-04 09:00", 1)
	// A's resubmission (filed 03-08): adds X (with A's own facts: party 否,
	// liaison 否, staff 30 = 2 + 28, leaders 0) and P (talent 否, key 否, no
	// offices, in X); r2 becomes a talent-pool key contact; P also joins
	// visit 01; r1 no longer attends 02; the suggestion is not adopted; one
	// typical case.
	aFeb := testbook.ValidFor(A, "2026-02")
	aFeb.Set("封面", 0, "填报日期", "2026-03-08")
	addRow(aFeb, "社会组织", X, "大连市软件行业协会", "社会团体", "行业协会商会", A.Counties[0].Name, "市级", 30, 2, 28, "否", "", "否", 0, "")
	aFeb.Set("代表人士", 2, "是否纳入人才库", "是")
	aFeb.Set("代表人士", 2, "是否重点联系", "是")
	addRow(aFeb, "代表人士", P, "李明", "男", "民盟", "研究生", X, "", "否", "否", "否", "否", "", "", "", "2026-02-10")
	setParticipants(aFeb,
		[]any{actID(A, "2026-02", 1), rep(A, 0)},
		[]any{actID(A, "2026-02", 1), P},
		[]any{actID(A, "2026-02", 2), rep(A, 0)})
	aFeb.Set("建言献策", 0, "是否被采纳", "否")
	aFeb.Set("工作机制", 0, "本月宣传典型案例数", 1)
	submit("aFeb2", aFeb, A, "2026-02", "2026-03-08 09:00", 0)
	// B, late (filed 03-09): the nomination succeeds and a second one (r1,
	// 人大代表) fails; r2 hands in a second suggestion, not adopted; all six
	// systems, 2 joint meetings, budget 否, 5 cadres, a federation, 2 cases.
	bFeb := testbook.ValidFor(B, "2026-02")
	bFeb.Set("封面", 0, "填报日期", "2026-03-09")
	bFeb.Set("提名举荐", 0, "结果", "成功")
	addRow(bFeb, "提名举荐", "2026-02-23", rep(B, 1), "人大代表", "市", "未成功")
	addRow(bFeb, "建言献策", "2026-02-16", rep(B, 2), "关于社会组织人才培养的建议", "其他", "否")
	for _, item := range []string{"信息反映制度", "发挥作用制度", "激励表彰制度"} {
		bFeb.Set("工作机制", 0, item, "是")
	}
	bFeb.Set("工作机制", 0, "本月召开联席会议次数", 2)
	bFeb.Set("工作机制", 0, "工作经费是否纳入同级财政预算", "否")
	bFeb.Set("工作机制", 0, "专职统战干部人数", 5)
	bFeb.Set("工作机制", 0, "是否成立社会组织联合会或促进会", "是")
	bFeb.Set("工作机制", 0, "本月宣传典型案例数", 2)
	bPath := submit("bFeb", bFeb, B, "2026-02", "2026-03-09 09:00", 0)
	// The very same file again: unchanged, not a new attempt.
	submitFile("bFebAgain", bPath, "2026-03-10 09:00", 0)
	return f
}
