package portal

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ufa/internal/spec"
	"ufa/transform"
)

// slowProc pauses before or after the real processing, so that a test can
// kill the process at a known point; it writes the file named by
// UFA_TEST_MARK when the pause begins.
type slowProc struct {
	real  Processor
	after bool // pause after processing (else before)
}

func (p *slowProc) Process(ctx context.Context, u Upload) (Result, error) {
	if !p.after {
		os.WriteFile(os.Getenv("UFA_TEST_MARK"), nil, 0o644)
		time.Sleep(time.Minute)
	}
	r, err := p.real.Process(ctx, u)
	if p.after {
		os.WriteFile(os.Getenv("UFA_TEST_MARK"), nil, 0o644)
		time.Sleep(time.Minute)
	}
	return r, err
}

func (p *slowProc) Recompute(ctx context.Context, month string) error {
	return p.real.Recompute(ctx, month)
}

// TestHelperPortal is the portal process of TestCrash (run only by it).
func TestHelperPortal(t *testing.T) {
	db := os.Getenv("UFA_TEST_PORTAL_DB")
	if db == "" {
		t.Skip("the portal process of TestCrash")
	}
	ctx := context.Background()
	book := spec.Load()
	w, err := transform.Open(ctx, db, transform.Options{Book: book})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.UseKey(ctx, transform.DemoKey())
	real := &IngestProcessor{W: w, Book: book, Dashboards: db + ".dashboards", Annotated: filepath.Join(db+".files", "annotated")}
	var proc Processor = real
	if mode := os.Getenv("UFA_TEST_PAUSE"); mode != "" {
		proc = &slowProc{real: real, after: mode == "after"}
	}
	now := func() time.Time { return time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC).Add(time.Since(start0)) }
	srv, err := New(ctx, Config{W: w, Book: book, Processor: proc, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(db+".addr", []byte(ln.Addr().String()), 0o644)
	sctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(sctx, ln, "", ""); err != nil {
		t.Fatal(err)
	}
}

var start0 = time.Now()

// TestCrash: the portal killed (SIGKILL) while an upload is processed —
// before it is loaded, and after it is loaded but before its result is
// recorded — starts again, finishes the upload once, and leaves the
// city-month whole.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the portal as a child process")
	}
	monthDir, _ := generate(t, "沈阳市")
	data, err := os.ReadFile(filepath.Join(monthDir, "沈阳市_2026-10.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pause := range []string{"before", "after"} {
		t.Run(pause, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "w.duckdb")
			mark := filepath.Join(dir, "mark")
			// Accounts first (the portal process holds the warehouse).
			w, err := transform.Open(context.Background(), db, transform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := (&Accounts{DB: w.DB()}).Add(context.Background(), Actor{}, "sy", City, "210100", testPassword); err != nil {
				t.Fatal(err)
			}
			w.Close()
			start := func(pause string) (*exec.Cmd, string) {
				os.Remove(db + ".addr")
				cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPortal$", "-test.v")
				cmd.Env = append(os.Environ(), "UFA_TEST_PORTAL_DB="+db, "UFA_TEST_PAUSE="+pause, "UFA_TEST_MARK="+mark)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				for i := 0; i < 600; i++ {
					if b, err := os.ReadFile(db + ".addr"); err == nil && len(b) > 0 {
						return cmd, "http://" + string(b)
					}
					time.Sleep(50 * time.Millisecond)
				}
				cmd.Process.Kill()
				t.Fatal("the portal did not start")
				return nil, ""
			}
			cmd, base := start(pause)
			e := &env{t: t, hs: nil}
			c := e.anon()
			c.e.hs = &httptest.Server{URL: base}
			login := c.post("/login", map[string][]string{"username": {"sy"}, "password": {testPassword}})
			if login.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d", login.StatusCode)
			}
			c.refreshCSRF()
			go c.c.Do(c.uploadRequest("210100", "2026-10", "沈阳市_2026-10.xlsx", data))
			for i := 0; ; i++ {
				if _, err := os.Stat(mark); err == nil {
					break
				}
				if i > 1200 {
					cmd.Process.Kill()
					t.Fatal("processing never began")
				}
				time.Sleep(50 * time.Millisecond)
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			// Start again, without pauses: the upload is finished once.
			cmd, base = start("")
			c.e.hs = &httptest.Server{URL: base}
			var state string
			for i := 0; i < 600 && state != stateDone; i++ {
				time.Sleep(50 * time.Millisecond)
				res, err := http.Get(base + "/healthz")
				if err == nil {
					res.Body.Close()
				}
				state = ""
				// The portal holds the warehouse: ask it through the pages.
				c2 := e.anon()
				c2.e.hs = c.e.hs
				if r := c2.post("/login", map[string][]string{"username": {"sy"}, "password": {testPassword}}); r.StatusCode == http.StatusSeeOther {
					if page := c2.get("/cities/210100").body; strings.Contains(page, "已接收") && !strings.Contains(page, "处理中") {
						state = stateDone
					}
				}
			}
			cmd.Process.Signal(syscall.SIGTERM)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("the portal did not stop cleanly: %v", err)
			}
			if state != stateDone {
				t.Fatal("the upload was not finished after the restart")
			}
			w, err = transform.Open(context.Background(), db, transform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			var subs, uploads, orgs, loaded int
			w.DB().QueryRow("SELECT count(*) FROM submissions").Scan(&subs)
			w.DB().QueryRow("SELECT count(*) FROM portal.uploads WHERE state = 'done' AND outcome = 'accepted'").Scan(&uploads)
			w.DB().QueryRow("SELECT count(*) FROM cur_organizations").Scan(&orgs)
			w.DB().QueryRow("SELECT count(DISTINCT submission_id) FROM organizations").Scan(&loaded)
			if subs != 1 || uploads != 1 || orgs == 0 || loaded != 1 {
				t.Errorf("after the crash: %d submissions, %d accepted uploads, %d organizations from %d submissions; want 1, 1, >0, 1", subs, uploads, orgs, loaded)
			}
		})
	}
}
