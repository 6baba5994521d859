package portal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ufa/internal/spec"
	"ufa/transform"
)

const testPassword = "correct-horse-1"

// clock is a settable clock for the session and lockout limits.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fakeProc accepts every upload without loading anything.
type fakeProc struct {
	mu    sync.Mutex
	got   []Upload
	delay time.Duration
	start chan int64 // told when a Process begins (nil: not told)
}

func (f *fakeProc) Process(ctx context.Context, u Upload) (Result, error) {
	if f.start != nil {
		f.start <- u.ID
	}
	time.Sleep(f.delay)
	f.mu.Lock()
	f.got = append(f.got, u)
	f.mu.Unlock()
	return Result{Outcome: "accepted", Report: "文件：" + u.FileName + "\n  未发现问题。\n"}, nil
}

func (f *fakeProc) Recompute(ctx context.Context, month string) error { return nil }

type env struct {
	t     testing.TB
	dir   string
	w     *transform.Warehouse
	srv   *Server
	hs    *httptest.Server
	clock *clock
	book  *spec.Book
}

type envOptions struct {
	proc      Processor // nil: a fakeProc
	maxUpload int64
	real      bool // the IngestProcessor
	tls       bool // serve HTTPS (httptest's certificate)
}

// newEnv starts a portal on a new warehouse with the accounts office1,
// lead1, sy (沈阳市) and dl (大连市), the clock at 2026-11-03 10:00 CST.
func newEnv(t testing.TB, opt envOptions) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, dir: t.TempDir(), book: spec.Load(), clock: &clock{now: time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC)}}
	w, err := transform.Open(ctx, filepath.Join(e.dir, "w.duckdb"), transform.Options{Book: e.book})
	if err != nil {
		t.Fatal(err)
	}
	e.w = w
	if err := w.UseKey(ctx, transform.DemoKey()); err != nil {
		t.Fatal(err)
	}
	accts := &Accounts{DB: w.DB(), Book: e.book, Now: e.clock.Now}
	for _, a := range []struct {
		name string
		role Role
		city string
	}{{"office1", Office, ""}, {"lead1", Leader, ""}, {"sy", City, "沈阳市"}, {"dl", City, "210200"}, {"victim", Leader, ""}} {
		if err := accts.Add(ctx, Actor{Address: "test"}, a.name, a.role, a.city, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	proc := opt.proc
	if proc == nil && !opt.real {
		proc = &fakeProc{}
	}
	validator := filepath.Join(e.dir, "ufa-validator.html")
	writeFile(t, validator, "<!DOCTYPE html><title>校验</title><main>校验器</main><script>go()</script>")
	e.srv, err = New(ctx, Config{W: w, Book: e.book, Processor: proc, MaxUpload: opt.maxUpload, Now: e.clock.Now, Validator: validator, TLS: opt.tls})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Start()
	if opt.tls {
		e.hs = httptest.NewUnstartedServer(e.srv.Handler())
		e.hs.EnableHTTP2 = true
		e.hs.StartTLS()
	} else {
		e.hs = httptest.NewServer(e.srv.Handler())
	}
	t.Cleanup(func() {
		e.hs.Close()
		e.srv.Close()
		e.w.Close()
	})
	return e
}

// client is a browser-like client: a cookie jar, no redirects followed.
type client struct {
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) anon() *client {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if e.hs != nil && e.hs.TLS != nil {
		hc.Transport = e.hs.Client().Transport
	}
	return &client{e: e, c: hc}
}

func (e *env) login(name string) *client {
	e.t.Helper()
	c := e.anon()
	res := c.post("/login", url.Values{"username": {name}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d %s", name, res.StatusCode, res.body)
	}
	c.refreshCSRF()
	return c
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) refreshCSRF() {
	res := c.get("/dashboards")
	m := csrfField.FindStringSubmatch(res.body)
	if m == nil {
		c.e.t.Fatalf("no csrf token on /dashboards: %d %s", res.StatusCode, res.body)
	}
	c.csrf = m[1]
}

type response struct {
	*http.Response
	body string
}

func (c *client) do(req *http.Request) response {
	c.e.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return response{res, string(b)}
}

func (c *client) get(path string) response {
	req, _ := http.NewRequest("GET", c.e.hs.URL+path, nil)
	return c.do(req)
}

// post sends a form; the session's csrf token is added when known and the
// form has none.
func (c *client) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	if c.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.e.hs.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// upload posts a workbook as the city page's form does.
func (c *client) upload(city, month, name string, data []byte) response {
	return c.do(c.uploadRequest(city, month, name, data))
}

func (c *client) uploadRequest(city, month, name string, data []byte) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("month", month)
	fw, _ := mw.CreateFormFile("workbook", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.hs.URL+"/cities/"+city+"/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// addAttempt records a processed upload of city directly (the objects of
// the matrix), with its original and annotated copy on disk.
func (e *env) addAttempt(city string) int64 {
	e.t.Helper()
	sha := fmt.Sprintf("%064x", time.Now().UnixNano())
	var id int64
	err := e.w.DB().QueryRow(q("upload_insert"), sha, city+".xlsx", 10, city, "2026-10", "test", "127.0.0.1", e.clock.Now()).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.w.DB().Exec(q("upload_done"), 0, "rejected", 1, 0, "report", true, nil, e.clock.Now(), id); err != nil {
		e.t.Fatal(err)
	}
	writeFile(e.t, filepath.Join(e.srv.cfg.Files, sha), "original")
	writeFile(e.t, AnnotatedPath(filepath.Join(e.srv.cfg.Files, "annotated"), id), "annotated")
	return id
}

// addSubmission records a rejected attempt of city as ufa ingest would
// (a submission and its finding, no portal upload), returning its id.
func (e *env) addSubmission(city string) int64 {
	e.t.Helper()
	c, _ := e.srv.book.City(city)
	var id int64
	err := e.w.DB().QueryRow(`INSERT INTO submissions (id, file_name, sha256, city_code, city_name, month, filed_on, received_at, outcome, errors, warnings)
		VALUES (nextval('submission_ids'), ?, ?, ?, ?, '2026-10', DATE '2026-11-03', ?, 'rejected', 1, 0) RETURNING id`,
		c.Name+"_2026-10.xlsx", fmt.Sprintf("%064x", time.Now().UnixNano()), city, c.Name, e.clock.Now()).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.w.DB().Exec(`INSERT INTO findings VALUES (?, 1, 'error', 'E_REQUIRED', '社会组织', 5, 'C', 'credit_code', '', '统一社会信用代码必须填写。')`, id); err != nil {
		e.t.Fatal(err)
	}
	return id
}
