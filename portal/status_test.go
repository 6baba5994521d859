package portal

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"ufa/metrics"
)

// TestStatusIsTheIndicators: the board's status of every city is the one
// the month's stored indicators give (submitted, on_time, submission_count,
// error_count: what ufa run's summary and the report's 报送情况 read), for
// histories loaded without the portal: on time, late, late first then
// corrected, rejected only, accepted then the same file again, nothing.
func TestStatusIsTheIndicators(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	type att struct {
		outcome string
		filed   string
		errors  int
	}
	hist := map[string][]att{
		"210100": {{"accepted", "2026-11-03", 0}},                                  // on time
		"210200": {{"rejected", "2026-11-02", 3}, {"accepted", "2026-11-09", 0}},   // late
		"210300": {{"superseded", "2026-11-08", 0}, {"accepted", "2026-11-09", 0}}, // first accepted late: late
		"210400": {{"rejected", "2026-11-02", 2}, {"rejected", "2026-11-03", 1}},   // rejected
		"210500": {{"accepted", "2026-11-01", 0}, {"unchanged", "2026-11-01", 0}},  // the same file again is no attempt
		"210600": {{"superseded", "2026-11-01", 0}, {"accepted", "2026-11-06", 0}}, // on time: the first accepted counts
		"210700": {{"accepted", "2026-11-05", 0}},                                  // on the deadline day
		"210800": {{"accepted", "2026-11-01", 0}, {"rejected", "2026-11-02", 4}},   // accepted, then a rejected correction
	}
	for _, code := range []string{"210100", "210200", "210300", "210400", "210500", "210600", "210700", "210800"} {
		c, _ := e.book.City(code)
		var prev int64
		for i, a := range hist[code] {
			var id int64
			err := e.w.DB().QueryRow(`INSERT INTO submissions (id, file_name, sha256, city_code, city_name, month, filed_on, received_at, outcome, errors, warnings)
				VALUES (nextval('submission_ids'), ?, ?, ?, ?, '2026-10', ?::DATE, ?, ?, ?, 0) RETURNING id`,
				c.Name+".xlsx", code+string(rune('a'+i)), code, c.Name, a.filed, time.Now().UTC(), a.outcome, a.errors).Scan(&id)
			if err != nil {
				t.Fatal(err)
			}
			if a.outcome == "accepted" && prev != 0 {
				e.w.DB().Exec(`UPDATE submissions SET superseded_by = ? WHERE id = ?`, id, prev)
			}
			prev = id
		}
	}
	if err := metrics.Compute(ctx, e.w.DB(), "2026-10", metrics.DefaultScheme()); err != nil {
		t.Fatal(err)
	}
	val := func(code, ind string) (float64, bool) {
		var v *float64
		err := e.w.DB().QueryRow(`SELECT value FROM indicator_values WHERE month = '2026-10' AND city_code = ? AND indicator = ?`, code, ind).Scan(&v)
		if err != nil || v == nil {
			return 0, false
		}
		return *v, true
	}
	_, st, err := e.srv.stat.MonthStatus(ctx, "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"210100": StatusAccepted, "210200": StatusLate, "210300": StatusLate, "210400": StatusRejected,
		"210500": StatusAccepted, "210600": StatusAccepted, "210700": StatusAccepted, "210800": StatusAccepted}
	for _, cs := range st {
		code := cs.City.Code
		w := want[code]
		if w == "" {
			w = StatusMissing
		}
		if cs.Status != w {
			t.Errorf("%s: %s, want %s", cs.City.Name, cs.Status, w)
		}
		submitted, _ := val(code, "submitted")
		onTime, _ := val(code, "on_time")
		count, _ := val(code, "submission_count")
		errs, hasErrs := val(code, "error_count")
		if (cs.Current != 0) != (submitted == 1) {
			t.Errorf("%s: current %d, submitted %v", cs.City.Name, cs.Current, submitted)
		}
		if cs.Current != 0 && cs.Late != (onTime == 0) {
			t.Errorf("%s: late %v, on_time %v", cs.City.Name, cs.Late, onTime)
		}
		if float64(cs.Attempts) != count {
			t.Errorf("%s: %d attempts, submission_count %v", cs.City.Name, cs.Attempts, count)
		}
		if hasErrs && float64(cs.Errors) != errs || !hasErrs && cs.Attempts != 0 {
			t.Errorf("%s: %d errors, error_count %v (%v)", cs.City.Name, cs.Errors, errs, hasErrs)
		}
	}
	// The board shows it, with a page for each attempt though none came
	// through the portal; a warehouse-only attempt says it has no original.
	office := e.login("office1")
	board := office.get("/board?month=2026-10").body
	for _, s := range []string{`抚顺市</a></td><td class="st">被拒收`, `鞍山市</a></td><td class="st">迟报`, `大连市</a></td><td class="st">迟报`,
		`沈阳市</a></td><td class="st">已接收`, `阜新市</a></td><td class="st">未报送`, `>第2次</a>`} {
		if !strings.Contains(board, s) {
			t.Errorf("board lacks %q", s)
		}
	}
	link := linkRe.FindStringSubmatch(board)
	if link == nil {
		t.Fatalf("board links no warehouse attempt:\n%s", board)
	}
	page := office.get(link[1])
	if page.StatusCode != 200 || !strings.Contains(page.body, "没有可下载的原始文件") {
		t.Errorf("%s: %d\n%s", link[1], page.StatusCode, page.body)
	}
	// The clerk's home agrees.
	sy := e.login("sy")
	home := sy.get("/cities/210100").body
	if !strings.Contains(home, `<td>2026-10</td><td class="st">已接收`) || !strings.Contains(home, "省级管理员导入的报送") {
		t.Errorf("city home does not show 已接收 and the attempt loaded without the portal:\n%s", home)
	}
	if l := linkRe.FindStringSubmatch(home); l == nil || sy.get(l[1]).StatusCode != 200 {
		t.Errorf("city home links no page of its attempt loaded without the portal")
	}
}

var linkRe = regexp.MustCompile(`href="(/submissions/\d+)"`)
