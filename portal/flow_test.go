package portal

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"ufa/pipeline"

	"ufa/ingest"
	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/transform"
)

// generate writes the 2026-10 workbooks of the cities (with faults).
func generate(t *testing.T, cities ...string) (month string, faults string) {
	t.Helper()
	dir := t.TempDir()
	_, err := gen.Generate(context.Background(), spec.Load(), gen.Options{Out: dir, From: "2026-10", To: "2026-10", Scale: 0.01, Faults: true, Seed: 3, Cities: cities}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "2026-10"), filepath.Join(dir, "faults")
}

var preBlock = regexp.MustCompile(`(?s)<pre class="report">(.*?)</pre>`)

// TestUploadFlow: the clerk's walk through the real ingest path — a
// faulty workbook is rejected with ufa validate's findings and an
// annotated copy, the correction is accepted, the board and the
// dashboards follow, a leader reads the dashboards but no upload.
func TestUploadFlow(t *testing.T) {
	monthDir, faults := generate(t, "沈阳市")
	e := newEnv(t, envOptions{real: true})
	c := e.login("sy")
	bad := filepath.Join(faults, "E_REF.xlsx")
	data, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	res := c.upload("210100", "2026-10", "沈阳市_初报.xlsx", data)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, res.body)
	}
	page := c.get(res.Header.Get("Location")).body
	if !strings.Contains(page, "被拒收") {
		t.Fatalf("the faulty workbook is not rejected:\n%s", page)
	}
	// The findings in ufa validate's words and grouping.
	want := ingest.Validate(context.Background(), e.book, bad, ingest.Options{City: "210100", Month: "2026-10"})
	want.File = "沈阳市_初报.xlsx"
	var buf bytes.Buffer
	ingest.WriteReport(&buf, e.book, want)
	m := preBlock.FindStringSubmatch(page)
	if m == nil || html.UnescapeString(m[1]) != buf.String() {
		t.Errorf("the attempt page's findings differ from ufa validate's:\n%v\nwant\n%s", m, buf.String())
	}
	// The annotated copy.
	ann := c.get(strings.TrimPrefix(res.Header.Get("Location"), e.hs.URL) + "/annotated")
	if ann.StatusCode != 200 || !strings.Contains(ann.Header.Get("Content-Disposition"), url.PathEscape("_校验.xlsx")) {
		t.Fatalf("annotated copy: %d %v", ann.StatusCode, ann.Header)
	}
	if _, err := zip.NewReader(bytes.NewReader([]byte(ann.body)), int64(len(ann.body))); err != nil {
		t.Errorf("annotated copy is not an xlsx: %v", err)
	}
	office := e.login("office1")
	if board := office.get("/board?month=2026-10").body; !strings.Contains(board, "沈阳市</a></td><td class=\"st\">被拒收") {
		t.Errorf("board does not show 被拒收 for 沈阳市")
	}
	// The correction.
	good, _ := filepath.Glob(filepath.Join(monthDir, "沈阳市_2026-10*.xlsx"))
	sort.Strings(good)
	data, _ = os.ReadFile(good[0])
	res = c.upload("210100", "2026-10", filepath.Base(good[0]), data)
	page = c.get(res.Header.Get("Location")).body
	if !strings.Contains(page, "已接收") {
		t.Fatalf("the correct workbook is not accepted:\n%s", page)
	}
	if home := c.get("/cities/210100").body; !strings.Contains(home, `<td>2026-10</td><td class="st">已接收`) && !strings.Contains(home, `<td>2026-10</td><td class="st">迟报`) {
		t.Errorf("city home does not show 已接收 for 2026-10")
	}
	if board := office.get("/board?month=2026-10").body; !strings.Contains(board, "沈阳市</a></td><td class=\"st\">已接收") && !strings.Contains(board, "沈阳市</a></td><td class=\"st\">迟报") {
		t.Errorf("board does not show 沈阳市 accepted")
	}
	// The same file again: unchanged.
	res = c.upload("210100", "2026-10", filepath.Base(good[0]), data)
	if page := c.get(res.Header.Get("Location")).body; !strings.Contains(page, "未变化") {
		t.Errorf("the same file twice is not unchanged: %d %s", res.StatusCode, page)
	}
	// Dashboards are current; a leader reads them and reaches no upload.
	lead := e.login("lead1")
	for _, p := range []string{"/dashboards/2026-10/index.html", "/dashboards/2026-10/quality.html", "/dashboards/2026-10/city/210100.html", "/report/2026-10"} {
		if r := lead.get(p); r.StatusCode != 200 {
			t.Errorf("leader %s: %d", p, r.StatusCode)
		}
	}
	for _, p := range []string{"/attempts/1", "/attempts/1/original", "/attempts/1/annotated", "/cities/210100", "/accounts", "/board", "/audit"} {
		if r := lead.get(p); r.StatusCode != http.StatusForbidden {
			t.Errorf("leader %s: %d, want 403", p, r.StatusCode)
		}
	}
	// The clerk sees the overview and its own city page, not quality.
	if r := c.get("/dashboards/2026-10/index.html"); r.StatusCode != 200 {
		t.Errorf("city overview: %d", r.StatusCode)
	}
	if r := c.get("/dashboards/2026-10/quality.html"); r.StatusCode != http.StatusForbidden {
		t.Errorf("city quality page: %d", r.StatusCode)
	}
	// The audit log has the upload with its SHA-256 and result.
	var n int
	e.w.DB().QueryRow("SELECT count(*) FROM portal.audit_log WHERE action = 'upload_result' AND detail LIKE 'sha256=%result=rejected%'").Scan(&n)
	if n != 1 {
		t.Errorf("%d audited rejected uploads, want 1", n)
	}
}

// TestConcurrentUploads: the 14 cities upload at once while 50 clients
// read the dashboards; every upload is processed, nothing answers 5xx,
// and the figures equal those of loading the same files as ufa ingest
// does.
func TestConcurrentUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 14 workbooks")
	}
	monthDir, _ := generate(t)
	var files []string
	for _, c := range spec14(t) {
		files = append(files, filepath.Join(monthDir, c+"_2026-10.xlsx"))
	}
	e := newEnv(t, envOptions{real: true})
	accts := &Accounts{DB: e.w.DB(), Book: e.book}
	for _, c := range e.book.Cities {
		if err := accts.Add(context.Background(), Actor{}, "c"+c.Code, City, c.Code, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	// The month's pages exist before the readers start.
	if err := e.srv.proc.Recompute(context.Background(), "2026-10"); err != nil {
		t.Fatal(err)
	}
	clients := make([]*client, len(e.book.Cities))
	for i, c := range e.book.Cities {
		clients[i] = e.login("c" + c.Code)
	}
	readers := make([]*client, 5)
	for i := range readers {
		readers[i] = e.login("lead1")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var fail []string
	stop := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(r *client) {
			defer wg.Done()
			for n := 0; n < 20; n++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := r.c.Get(e.hs.URL + "/dashboards/2026-10/index.html")
				if err == nil {
					res.Body.Close()
				}
				if err != nil || res.StatusCode >= 500 {
					mu.Lock()
					fail = append(fail, fmt.Sprint("reader: ", err, res))
					mu.Unlock()
				}
			}
		}(readers[i%len(readers)])
	}
	var up sync.WaitGroup
	for i, c := range e.book.Cities {
		up.Add(1)
		go func() {
			defer up.Done()
			data, err := os.ReadFile(files[i])
			if err != nil {
				t.Error(err)
				return
			}
			res := clients[i].upload(c.Code, "2026-10", filepath.Base(files[i]), data)
			if res.StatusCode != http.StatusSeeOther {
				mu.Lock()
				fail = append(fail, fmt.Sprintf("upload %s: %d", c.Name, res.StatusCode))
				mu.Unlock()
			}
		}()
	}
	up.Wait()
	close(stop)
	wg.Wait()
	for _, f := range fail {
		t.Error(f)
	}
	var accepted int
	e.w.DB().QueryRow("SELECT count(*) FROM portal.uploads WHERE state = 'done' AND outcome = 'accepted'").Scan(&accepted)
	if accepted != 14 {
		t.Fatalf("%d uploads accepted, want 14", accepted)
	}
	// The same files loaded as ufa ingest loads them.
	ref, err := transform.Open(context.Background(), filepath.Join(t.TempDir(), "ref.duckdb"), transform.Options{Book: e.book})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	ref.UseKey(context.Background(), transform.DemoKey())
	if _, err := pipeline.Ingest(context.Background(), ref, files, pipeline.IngestOptions{Book: e.book}); err != nil {
		t.Fatal(err)
	}
	if err := metrics.Compute(context.Background(), ref.DB(), "2026-10", metrics.DefaultScheme()); err != nil {
		t.Fatal(err)
	}
	if a, b := figures(t, e.w), figures(t, ref); a != b {
		t.Errorf("the portal's figures differ from ufa ingest's:\n%s\nvs\n%s", a, b)
	}
}

func spec14(t *testing.T) []string {
	var out []string
	for _, c := range spec.Load().Cities {
		out = append(out, c.Name)
	}
	return out
}

func figures(t *testing.T, w *transform.Warehouse) string {
	rows, err := w.DB().Query("SELECT city_code, indicator, coalesce(round(value, 9)::VARCHAR, 'null') FROM indicator_values WHERE month = '2026-10' ORDER BY 1, 2")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var c, i, v string
		rows.Scan(&c, &i, &v)
		fmt.Fprintf(&b, "%s %s %s\n", c, i, v)
	}
	return b.String()
}

// TestUploadNameChecked: the client's file name takes part in the checks
// as the file's name does in ufa ingest: 沈阳市's workbook named for 大连市
// is rejected with the same findings as ufa ingest gives it.
func TestUploadNameChecked(t *testing.T) {
	monthDir, _ := generate(t, "沈阳市")
	e := newEnv(t, envOptions{real: true})
	good, _ := filepath.Glob(filepath.Join(monthDir, "沈阳市_2026-10*.xlsx"))
	sort.Strings(good)
	data, err := os.ReadFile(good[0])
	if err != nil {
		t.Fatal(err)
	}
	res := e.login("sy").upload("210100", "2026-10", "大连市_2026-10.xlsx", data)
	page := e.login("sy").get(res.Header.Get("Location")).body
	named := filepath.Join(t.TempDir(), "大连市_2026-10.xlsx")
	if err := os.WriteFile(named, data, 0o644); err != nil {
		t.Fatal(err)
	}
	want := ingest.Validate(context.Background(), e.book, named, ingest.Options{})
	want.File = "大连市_2026-10.xlsx"
	var buf bytes.Buffer
	ingest.WriteReport(&buf, e.book, want)
	m := preBlock.FindStringSubmatch(page)
	if !strings.Contains(page, "被拒收") || m == nil || html.UnescapeString(m[1]) != buf.String() || !strings.Contains(buf.String(), "文件名中的城市") {
		t.Errorf("a workbook named for another city: not ufa ingest's findings:\n%s\nwant\n%s", page, buf.String())
	}
}
