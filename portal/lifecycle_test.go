package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"ufa/pipeline"

	"ufa/metrics"
)

// TestGracefulShutdown: a shutdown during an upload lets it finish and be
// answered; uploads after it are refused; the server returns nil.
func TestGracefulShutdown(t *testing.T) {
	proc := &fakeProc{delay: 500 * time.Millisecond, start: make(chan int64, 4)}
	e := newEnv(t, envOptions{proc: proc})
	// Serve through ListenAndServe on loopback, as ufa serve does.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Close() // newEnv started the worker; ListenAndServe starts its own
	e.srv.stop = make(chan struct{})
	e.srv.closing.Store(false)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.ListenAndServe(ctx, ln, "", "") }()
	e.hs.URL = "http://" + ln.Addr().String()
	c := e.login("sy")
	answered := make(chan response, 1)
	go func() { answered <- c.upload("210100", "2026-10", "a.xlsx", xlsxBytes(t)) }()
	<-proc.start // processing has begun
	cancel()
	res := <-answered
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the upload in progress during shutdown: %d %s", res.StatusCode, res.body)
	}
	if err := <-done; err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
	var state string
	e.w.DB().QueryRow("SELECT state FROM portal.uploads").Scan(&state)
	if state != stateDone {
		t.Errorf("upload state after shutdown: %s", state)
	}
	if _, err := http.Get(e.hs.URL + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}

// TestPendingProcessedOnStart: an upload stored and recorded but not
// processed (the portal stopped) is processed at the next start.
func TestPendingProcessedOnStart(t *testing.T) {
	proc := &fakeProc{}
	e := newEnv(t, envOptions{proc: proc})
	data := xlsxBytes(t)
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	writeFile(t, filepath.Join(e.srv.cfg.Files, sum), string(data))
	var id int64
	if err := e.w.DB().QueryRow(q("upload_insert"), sum, "a.xlsx", len(data), "210100", "2026-10", "sy", "127.0.0.1", e.clock.Now()).Scan(&id); err != nil {
		t.Fatal(err)
	}
	// The board shows it as unfinished.
	office := e.login("office1")
	if body := office.get("/board?month=2026-10").body; !strings.Contains(body, "未完成的上传") {
		t.Error("the board does not show the unfinished upload")
	}
	// A file synced but never recorded (stopped in between) is listed too.
	orphan := strings.Repeat("ab", 32)
	writeFile(t, filepath.Join(e.srv.cfg.Files, orphan), "x")
	if body := office.get("/board?month=2026-10").body; !strings.Contains(body, orphan) {
		t.Error("the board does not list the unrecorded file")
	}
	srv, err := New(context.Background(), Config{W: e.w, Book: e.book, Processor: proc, Now: e.clock.Now, Files: e.srv.cfg.Files, Dashboards: e.srv.cfg.Dashboards})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	defer srv.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		a, err := getAttempt(context.Background(), e.w.DB(), id)
		if err != nil {
			t.Fatal(err)
		}
		if a.State == stateDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the pending upload was not processed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(proc.got) != 1 || proc.got[0].SHA256 != sum {
		t.Errorf("processed %v", proc.got)
	}
}

// TestRenderMissingDashboards: months computed outside the portal (ufa
// run, ufa demo) get their pages at start.
func TestRenderMissingDashboards(t *testing.T) {
	monthDir, _ := generate(t, "沈阳市")
	e := newEnv(t, envOptions{})
	f := filepath.Join(monthDir, "沈阳市_2026-10.xlsx")
	if _, err := pipeline.TakeFile(context.Background(), e.w, e.book, f); err != nil {
		t.Fatal(err)
	}
	if err := metrics.Compute(context.Background(), e.w.DB(), "2026-10", metrics.DefaultScheme()); err != nil {
		t.Fatal(err)
	}
	srv, err := New(context.Background(), Config{W: e.w, Book: e.book, Processor: &fakeProc{}, Files: e.srv.cfg.Files, Dashboards: e.srv.cfg.Dashboards})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	defer srv.Close()
	index := filepath.Join(e.srv.cfg.Dashboards, "2026-10", "index.html")
	for i := 0; i < 400 && !fileExists(index); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if !fileExists(index) {
		t.Fatal("the computed month's dashboards were not rendered at start")
	}
}
