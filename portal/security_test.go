package portal

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSecurityHeadersAndPages(t *testing.T) {
	e := newEnv(t, envOptions{})
	office := e.login("office1")
	sub, att := "/submissions/"+itoa(e.addSubmission("210100")), "/attempts/"+itoa(e.addAttempt("210100"))
	for _, p := range []string{"/login", "/healthz", "/board", "/accounts", "/audit", "/queries", "/backup", "/dashboards", "/cities/210100", sub, att, "/nope"} {
		c := office
		if p == "/login" {
			c = e.anon()
		}
		res := c.get(p)
		h := res.Header
		if h.Get("Content-Security-Policy") != CSP || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: headers %v", p, h)
		}
		if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			if !strings.Contains(res.body, "<title>") || !strings.Contains(res.body, "<main>") {
				t.Errorf("%s: no <title> or <main>", p)
			}
			if strings.Contains(res.body, "<script") {
				t.Errorf("%s: a script in a portal page", p)
			}
		}
	}
	login := e.anon().get("/login").body
	for _, want := range []string{`name="username"`, `autocomplete="username"`, `name="password" type="password" autocomplete="current-password"`} {
		if !strings.Contains(login, want) {
			t.Errorf("login form lacks %s", want)
		}
	}
	city := e.login("sy").get("/cities/210100").body
	if !strings.Contains(city, `name="workbook" type="file" accept=".xlsx"`) {
		t.Errorf("upload form lacks the workbook field")
	}
	// The session cookie.
	res := e.anon().post("/login", url.Values{"username": {"sy"}, "password": {testPassword}})
	ck := res.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(ck, want) {
			t.Errorf("session cookie %q lacks %s", ck, want)
		}
	}
	if res := e.anon().get("/healthz"); res.StatusCode != 200 || !strings.Contains(res.body, `"status":"ok"`) || strings.Count(res.body, "\n") != 1 {
		t.Errorf("healthz: %d %q", res.StatusCode, res.body)
	}
}

func TestLockout(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.anon()
	for i := 0; i < MaxFailed; i++ {
		if res := c.post("/login", url.Values{"username": {"sy"}, "password": {"wrong-password"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failed login %d: %d", i+1, res.StatusCode)
		}
	}
	// Locked: the right password is refused too.
	if res := c.post("/login", url.Values{"username": {"sy"}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("login while locked: %d", res.StatusCode)
	}
	e.clock.Add(LockFor - time.Minute)
	if res := c.post("/login", url.Values{"username": {"sy"}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("login 14 minutes later: %d", res.StatusCode)
	}
	e.clock.Add(2 * time.Minute)
	if res := c.post("/login", url.Values{"username": {"sy"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login after the lock: %d", res.StatusCode)
	}
	// The log says so.
	var n int
	e.w.DB().QueryRow("SELECT count(*) FROM portal.audit_log WHERE action = 'login_failed' AND object = 'sy'").Scan(&n)
	if n != MaxFailed+2 {
		t.Errorf("%d failed logins audited, want %d", n, MaxFailed+2)
	}
	// Per address: after 10 failures (whatever the names), 429 even for a
	// right password, until the budget refills.
	e.clock.Add(time.Hour)
	for i := 0; i < 10; i++ {
		c.post("/login", url.Values{"username": {"nobody" + itoa(int64(i))}, "password": {"x"}})
	}
	if res := c.post("/login", url.Values{"username": {"dl"}, "password": {testPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login after 10 failures from one address: %d, want 429", res.StatusCode)
	}
	e.clock.Add(time.Minute)
	if res := c.post("/login", url.Values{"username": {"dl"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login a minute later: %d", res.StatusCode)
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.login("office1")
	// Idle: 29 minutes is fine, and renews; 31 after the last request ends it.
	e.clock.Add(29 * time.Minute)
	if res := c.get("/board"); res.StatusCode != 200 {
		t.Fatalf("after 29 idle minutes: %d", res.StatusCode)
	}
	e.clock.Add(29 * time.Minute)
	if res := c.get("/board"); res.StatusCode != 200 {
		t.Fatalf("29 minutes after the last request: %d", res.StatusCode)
	}
	e.clock.Add(31 * time.Minute)
	if res := c.get("/board"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 31 idle minutes: %d, want 303 to login", res.StatusCode)
	}
	// Absolute: 12 hours at most, however busy.
	c = e.login("office1")
	for i := 0; i < 12*60/20; i++ {
		e.clock.Add(20 * time.Minute)
		res := c.get("/board")
		if i < 12*60/20-1 && res.StatusCode != 200 {
			t.Fatalf("after %d minutes: %d", (i+1)*20, res.StatusCode)
		}
	}
	e.clock.Add(time.Minute)
	if res := c.get("/board"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 12 hours: %d, want 303 to login", res.StatusCode)
	}
	// Logout ends it on the server: the old cookie is useless.
	c = e.login("office1")
	u, _ := url.Parse(e.hs.URL)
	old := c.c.Jar.Cookies(u)
	c.post("/logout", nil)
	c.c.Jar.SetCookies(u, old)
	if res := c.get("/board"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout with the old cookie: %d", res.StatusCode)
	}
	// Renewed at login: a token set before login is not the session's.
	c = e.login("office1")
	var n int
	e.w.DB().QueryRow("SELECT count(*) FROM portal.sessions WHERE length(token_hash) = 64").Scan(&n)
	if n != 1 {
		t.Error("sessions are not stored as hashes")
	}
}

func TestForgedPOST(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.login("office1")
	for _, tc := range []struct {
		name   string
		header map[string]string
		csrf   string
	}{
		{"cross-site fetch metadata", map[string]string{"Sec-Fetch-Site": "cross-site"}, c.csrf},
		{"foreign Origin", map[string]string{"Origin": "http://evil.example"}, c.csrf},
		{"no csrf token", nil, "-"},
		{"wrong csrf token", nil, "forged"},
	} {
		form := url.Values{"csrf": {tc.csrf}}
		if tc.csrf == "-" {
			form = url.Values{}
		}
		req, _ := http.NewRequest("POST", e.hs.URL+"/board/2026-10/lock", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		if tc.csrf == "-" {
			c.csrf = ""
		}
		res := c.do(req)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tc.name, res.StatusCode)
		}
	}
	if locked, _, _ := e.srv.monthLock(context.Background(), "2026-10"); locked {
		t.Fatal("a forged request locked the month")
	}
	c.refreshCSRF()
	if res := c.post("/board/2026-10/lock", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the real form: %d", res.StatusCode)
	}
	if locked, _, _ := e.srv.monthLock(context.Background(), "2026-10"); !locked {
		t.Fatal("the month is not locked")
	}
}

func xlsxBytes(t *testing.T) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := z.Create(n)
		w.Write([]byte("<x/>"))
	}
	z.Close()
	return buf.Bytes()
}

func TestUploadLimits(t *testing.T) {
	proc := &fakeProc{}
	e := newEnv(t, envOptions{proc: proc, maxUpload: 1 << 20})
	c := e.login("sy")
	big := bytes.Repeat([]byte("x"), 2<<20)
	if res := c.upload("210100", "2026-10", "big.xlsx", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB upload with a 1 MB limit: %d", res.StatusCode)
	}
	var zw bytes.Buffer
	z := zip.NewWriter(&zw)
	w, _ := z.Create("word/document.xml")
	w.Write([]byte("<x/>"))
	z.Close()
	for name, data := range map[string][]byte{"text.xlsx": []byte("this is not a workbook"), "docx.xlsx": zw.Bytes()} {
		res := c.upload("210100", "2026-10", name, data)
		if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(res.body, "不是 Excel 工作簿") {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	if len(proc.got) != 0 {
		t.Errorf("refused uploads were processed: %v", proc.got)
	}
	var n int
	e.w.DB().QueryRow("SELECT count(*) FROM portal.uploads").Scan(&n)
	if n != 0 {
		t.Errorf("%d refused uploads recorded", n)
	}
	// The client's name is shown, never a path: a name with folders and
	// markup is stored under its SHA-256 and displayed escaped.
	res := c.upload("210100", "2026-10", `..\..\<i>evil.xlsx`, xlsxBytes(t))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a valid package: %d %s", res.StatusCode, res.body)
	}
	page := c.get(res.Header.Get("Location")).body
	if strings.Contains(page, "<i>evil") || !strings.Contains(page, "&lt;i&gt;evil.xlsx") {
		t.Errorf("file name not shown escaped")
	}
	entries, _ := os.ReadDir(e.srv.cfg.Files)
	for _, en := range entries {
		if !en.IsDir() && len(en.Name()) != 64 {
			t.Errorf("stored file %s is not named by its SHA-256", en.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(e.dir), "<i>evil.xlsx")); err == nil {
		t.Error("the client's name was used as a path")
	}
	// A locked month refuses uploads, naming the office.
	office := e.login("office1")
	office.post("/board/2026-10/lock", nil)
	if res := c.upload("210100", "2026-10", "a.xlsx", xlsxBytes(t)); res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "省级管理员") {
		t.Errorf("upload to a locked month: %d", res.StatusCode)
	}
}

func TestCityCannotReachOtherCities(t *testing.T) {
	e := newEnv(t, envOptions{})
	mine, theirs := e.addAttempt("210100"), e.addAttempt("210200")
	c := e.login("sy")
	if res := c.get("/attempts/" + itoa(mine)); res.StatusCode != 200 {
		t.Fatalf("own attempt: %d", res.StatusCode)
	}
	missing := c.get("/attempts/999999")
	for _, p := range []string{"/attempts/" + itoa(theirs), "/attempts/" + itoa(theirs) + "/original", "/attempts/" + itoa(theirs) + "/annotated",
		"/cities/210200", "/cities/210200/template?month=2026-10", "/dashboards/2026-10/city/210200.html"} {
		res := c.get(p)
		if res.StatusCode != http.StatusNotFound || res.body != missing.body {
			t.Errorf("%s: %d, want the same 404 as a missing object", p, res.StatusCode)
		}
	}
	if res := c.upload("210200", "2026-10", "x.xlsx", xlsxBytes(t)); res.StatusCode != http.StatusNotFound {
		t.Errorf("upload for another city: %d", res.StatusCode)
	}
	// The city's home lists only its own attempts.
	if home := c.get("/cities/210100").body; strings.Contains(home, "/attempts/"+itoa(theirs)+`"`) {
		t.Error("another city's attempt listed")
	}
}

func TestFirstStartOffice(t *testing.T) {
	e := newEnv(t, envOptions{})
	accts := &Accounts{DB: e.w.DB(), Book: e.book}
	// office1 exists: nothing to do.
	if name, _, err := accts.EnsureOffice(context.Background()); err != nil || name != "" {
		t.Fatalf("with an office account: %q %v", name, err)
	}
	if err := accts.Disable(context.Background(), Actor{Address: "test"}, "office1"); err != nil {
		t.Fatal(err)
	}
	name, pw, err := accts.EnsureOffice(context.Background())
	if err != nil || name != "office" || len(pw) < MinPassword {
		t.Fatalf("first start: %q %q %v", name, pw, err)
	}
	c := e.anon()
	if res := c.post("/login", url.Values{"username": {name}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the printed password: %d", res.StatusCode)
	}
	if name, _, _ := accts.EnsureOffice(context.Background()); name != "" {
		t.Errorf("second start created %q", name)
	}
	if err := accts.Add(context.Background(), Actor{}, "short", Leader, "", "123456789"); err == nil {
		t.Error("a 9-character password accepted")
	}
	if err := accts.Add(context.Background(), Actor{}, "c", City, "", testPassword); err == nil {
		t.Error("a city account without a city accepted")
	}
}

func TestTLS(t *testing.T) {
	e := newEnv(t, envOptions{tls: true})
	res := e.anon().post("/login", url.Values{"username": {"office1"}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") {
		t.Fatalf("login over TLS: %d, cookie %q", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
	if res.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2", res.Proto)
	}
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age") {
		t.Error("no HSTS under TLS")
	}
	c := e.login("office1")
	if res := c.get("/board"); res.StatusCode != 200 {
		t.Errorf("board over TLS: %d", res.StatusCode)
	}
}

func TestDemoAccounts(t *testing.T) {
	e := newEnv(t, envOptions{})
	accts := &Accounts{DB: e.w.DB(), Book: e.book}
	made, err := accts.AddDemo(context.Background())
	if err != nil || len(made) != 16 {
		t.Fatalf("demo accounts: %v %v", made, err)
	}
	if again, _ := accts.AddDemo(context.Background()); len(again) != 0 {
		t.Errorf("second run made %v", again)
	}
	c := e.anon()
	if res := c.post("/login", url.Values{"username": {"city210200"}, "password": {DemoPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo city login: %d", res.StatusCode)
	}
	c.refreshCSRF()
	if res := c.get("/"); res.Header.Get("Location") != "/cities/210200" {
		t.Errorf("demo city home: %s", res.Header.Get("Location"))
	}
}
