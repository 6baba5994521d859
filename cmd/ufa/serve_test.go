//go:build cgo

package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while the command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serveFor runs ufa serve until stop is called; it returns the exit code.
func serveFor(t *testing.T, db string, extra ...string) (stderr *syncBuffer, addr string, stop func() int) {
	addr = freeAddr(t)
	stderr = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"serve", "--db", db, "--addr", addr}, extra...), &syncBuffer{}, stderr)
	}()
	for i := 0; i < 200; i++ {
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return stderr, addr, func() int { cancel(); return <-code }
}

func TestServeCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	stderr, addr, stop := serveFor(t, db)
	m := regexp.MustCompile(`省级管理员账户：(\S+)\s+一次性密码：(\S+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("first start printed no office account:\n%s", stderr)
	}
	// The printed password logs in.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm("http://"+addr+"/login", map[string][]string{"username": {m[1]}, "password": {m[2]}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the printed password: %v %v", err, res)
	}
	// The note another ufa's "in use" message reads (DuckDB's lock is per
	// process, so the message itself needs a second process).
	if b, err := os.ReadFile(db + ".serving"); err != nil || !strings.Contains(string(b), "ufa serve") {
		t.Errorf("no DB.serving note while serving: %v %q", err, b)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exit %d:\n%s", code, stderr)
	}
	if _, err := os.Stat(db + ".serving"); err == nil {
		t.Error("DB.serving left behind after a clean stop")
	}
	// Second start: no new account, no password printed.
	stderr, _, stop = serveFor(t, db)
	if code := stop(); code != exitOK || strings.Contains(stderr.String(), "一次性密码") {
		t.Errorf("second start: exit %d\n%s", code, stderr)
	}
}

func TestUserCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	for _, tc := range []struct {
		args   []string
		code   int
		output string
	}{
		{[]string{"user", "add", "sy", "--role", "city", "--city", "沈阳"}, exitOK, "账户 sy 的密码："},
		{[]string{"user", "add", "sy", "--role", "city", "--city", "沈阳"}, exitFailed, "已存在"},
		{[]string{"user", "add", "x", "--role", "city"}, exitFailed, "--city"},
		{[]string{"user", "add", "x", "--role", "boss"}, exitFailed, "角色"},
		{[]string{"user", "add", "lead", "--role", "leader"}, exitOK, "账户 lead 的密码："},
		{[]string{"user", "passwd", "lead"}, exitOK, "账户 lead 的密码："},
		{[]string{"user", "passwd", "nobody"}, exitFailed, "没有这个账户"},
		{[]string{"user", "disable", "sy"}, exitOK, "已停用账户 sy"},
		{[]string{"user", "list"}, exitOK, "已停用"},
		{[]string{"user", "frobnicate"}, exitFailed, "未知的子命令"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), append(tc.args, "--db", db), &out, &errb)
		if code != tc.code || !strings.Contains(out.String()+errb.String(), tc.output) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s%s", tc.args, code, tc.code, tc.output, out.String(), errb.String())
		}
	}
}

// TestServeValidatorPage: --validator-page is what /validate serves; a
// missing one is refused at start (exit 2), before anything listens.
func TestServeValidatorPage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	if code, _, stderr := runUFA("serve", "--db", db, "--addr", freeAddr(t), "--validator-page", filepath.Join(dir, "nope.html")); code != exitFailed || !strings.Contains(stderr, "--validator-page") {
		t.Errorf("missing --validator-page: exit %d %s", code, stderr)
	}
	page := filepath.Join(dir, "页面.html")
	if err := os.WriteFile(page, []byte("<!DOCTYPE html><title>校验</title><main>本地校验器</main>"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr, addr, stop := serveFor(t, db, "--validator-page", page)
	defer stop()
	m := regexp.MustCompile(`省级管理员账户：(\S+)\s+一次性密码：(\S+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no office account printed:\n%s", stderr)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm("http://"+addr+"/login", url.Values{"username": {m[1]}, "password": {m[2]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = c.Get("http://" + addr + "/validate")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "本地校验器") {
		t.Errorf("/validate: %d %s", res.StatusCode, b)
	}
}
