package portal

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"ufa/dashboards"
	"ufa/internal/spec"
	"ufa/transform"
)

// CSP is the dashboards' Content-Security-Policy, with framing, forms and
// the base URL pinned to this origin.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// DefaultMaxUpload is --max-upload's default, in bytes.
const DefaultMaxUpload = 100 << 20

// Config is what a portal serves.
type Config struct {
	W    *transform.Warehouse
	Book *spec.Book
	// Files holds the originals (<sha256>) and annotated copies
	// (annotated/<upload id>.xlsx): DB.files.
	Files string
	// Dashboards holds the rendered pages, one folder per month.
	Dashboards string
	MaxUpload  int64 // bytes; 0: DefaultMaxUpload
	TLS        bool  // cookies are Secure
	// Processor processes uploads; nil: an IngestProcessor on W.
	Processor Processor
	// Status gives the cities' status in a month; nil: from the warehouse.
	Status StatusSource
	// Validator is the clerk's validator page (bin/ufa-validator.html);
	// "" or a missing file: /validate says it is not installed.
	Validator string
	Log       *slog.Logger
	Now       func() time.Time // the clock (tests); nil: time.Now
}

// Server is a running portal.
type Server struct {
	cfg   Config
	w     *transform.Warehouse
	book  *spec.Book
	proc  Processor
	stat  StatusSource
	log   *slog.Logger
	pages map[string]*template.Template
	h     http.Handler

	// wmu serialises the portal's own writes (sessions, accounts, locks,
	// the upload rows) so that DuckDB never sees two of them conflict.
	wmu sync.Mutex
	// procMu is held while an upload is processed and while a backup is
	// taken: a backup sees no half-processed upload.
	procMu sync.Mutex

	qmu     sync.Mutex
	queue   []int64
	waiters map[int64]chan struct{}
	wake    chan struct{}
	closing atomic.Bool
	worker  sync.WaitGroup
	stop    chan struct{}

	lmu      sync.Mutex
	limiters map[string]*rate.Limiter
}

// New makes the portal's handler on an open warehouse and queues the
// uploads a previous run received but did not process. Call Start to
// begin processing, Close when done.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Book == nil {
		cfg.Book = spec.Load()
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Files == "" {
		cfg.Files = cfg.W.Path() + ".files"
	}
	if cfg.Dashboards == "" {
		cfg.Dashboards = cfg.W.Path() + ".dashboards"
	}
	for _, d := range []string{cfg.Files, filepath.Join(cfg.Files, "annotated"), cfg.Dashboards} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, fmt.Errorf("无法建立文件夹 %s: %w", d, err)
		}
	}
	// Partial receptions of a previous run (never acknowledged, never
	// recorded, incomplete) are removed.
	if tmps, err := filepath.Glob(filepath.Join(cfg.Files, ".upload-*")); err == nil {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	s := &Server{cfg: cfg, w: cfg.W, book: cfg.Book, log: cfg.Log, proc: cfg.Processor, stat: cfg.Status,
		waiters: map[int64]chan struct{}{}, wake: make(chan struct{}, 1), stop: make(chan struct{}),
		limiters: map[string]*rate.Limiter{}}
	if s.proc == nil {
		s.proc = &IngestProcessor{W: cfg.W, Book: cfg.Book, Dashboards: cfg.Dashboards, Annotated: filepath.Join(cfg.Files, "annotated"), Log: cfg.Log}
	}
	if s.stat == nil {
		s.stat = &warehouseStatus{db: cfg.W.DB(), book: cfg.Book}
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.h, err = s.handler()
	if err != nil {
		return nil, err
	}
	pending, err := scanStrings(ctx, s.w.DB(), q("upload_pending"))
	if err != nil {
		return nil, fmt.Errorf("读取未处理的上传: %w", err)
	}
	for _, p := range pending {
		var id int64
		fmt.Sscan(p, &id)
		s.queue = append(s.queue, id)
	}
	if len(s.queue) > 0 {
		s.log.Info("portal: uploads left unprocessed by the last run are processed now", "count", len(s.queue))
	}
	return s, nil
}

// Handler is the portal's HTTP handler.
func (s *Server) Handler() http.Handler { return s.h }

// Start starts processing the queue of uploads.
func (s *Server) Start() {
	s.worker.Add(1)
	go s.work()
	s.signal()
}

// StopUploads makes the portal refuse new uploads (shutting down).
func (s *Server) StopUploads() { s.closing.Store(true) }

// Close stops processing after the upload in progress and waits for it.
// Uploads still queued stay pending in the warehouse for the next start.
func (s *Server) Close() {
	s.closing.Store(true)
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.worker.Wait()
}

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Server) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// work processes the queued uploads one at a time, in order.
func (s *Server) work() {
	defer s.worker.Done()
	rendered := false
	for {
		s.qmu.Lock()
		var id int64
		if len(s.queue) > 0 {
			id = s.queue[0]
			s.queue = s.queue[1:]
		}
		s.qmu.Unlock()
		if id == 0 && !rendered {
			// Once idle: the pages of computed months rendered by no one
			// yet (a warehouse filled by ufa run or ufa demo).
			rendered = true
			s.renderMissing()
			continue
		}
		if id == 0 {
			select {
			case <-s.stop:
				return
			case <-s.wake:
				continue
			}
		}
		select {
		case <-s.stop:
			return
		default:
		}
		s.processOne(id)
		s.qmu.Lock()
		if ch := s.waiters[id]; ch != nil {
			close(ch)
			delete(s.waiters, id)
		}
		s.qmu.Unlock()
	}
}

// processOne processes one upload to the end: a shutdown does not cut it
// short (context.Background), the warehouse is closed only after.
func (s *Server) processOne(id int64) {
	ctx := context.Background()
	s.procMu.Lock()
	defer s.procMu.Unlock()
	a, err := getAttempt(ctx, s.w.DB(), id)
	if err != nil || a.State != statePending {
		if err != nil {
			s.log.Error("portal: read upload", "upload", id, "err", err)
		}
		return
	}
	u := Upload{ID: a.ID, SHA256: a.SHA256, FileName: a.FileName, Path: filepath.Join(s.cfg.Files, a.SHA256),
		City: a.CityCode, Month: a.Month, Received: a.Received}
	start := time.Now()
	res, found, err := recoverAttempt(ctx, s.w.DB(), u)
	if err == nil && !found {
		if !fileExists(u.Path) {
			err = fmt.Errorf("原始文件 %s 不见了", u.SHA256)
		} else {
			res, err = s.proc.Process(ctx, u)
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	now := s.now()
	if err != nil && res.SubmissionID == 0 {
		s.log.Error("portal: process upload", "upload", id, "err", err)
		note := fmt.Sprintf("处理失败：%v。文件已保存，请联系省级管理员。", err)
		if _, err := s.w.DB().ExecContext(ctx, q("upload_failed"), note, now, id); err != nil {
			s.log.Error("portal: record failed upload", "upload", id, "err", err)
		}
		audit(ctx, s.w.DB(), now, Actor{Account: a.Account}, "upload_failed", fmt.Sprint(id), "sha256="+a.SHA256)
		return
	}
	if err != nil { // loaded, but the dashboards could not be brought up to date
		s.log.Error("portal: after upload", "upload", id, "err", err)
		res.Note += fmt.Sprintf(" 看板未能更新：%v；省级管理员可在报送看板上重新计算。", err)
	}
	if _, err := s.w.DB().ExecContext(ctx, q("upload_done"), res.SubmissionID, res.Outcome, res.Errors, res.Warnings, res.Report,
		res.Annotated != "", nullable(res.Note), now, id); err != nil {
		s.log.Error("portal: record upload result", "upload", id, "err", err)
		return
	}
	audit(ctx, s.w.DB(), now, Actor{Account: a.Account}, "upload_result", fmt.Sprint(id),
		fmt.Sprintf("sha256=%s result=%s errors=%d warnings=%d submission=%d", a.SHA256, res.Outcome, res.Errors, res.Warnings, res.SubmissionID))
	s.log.Debug("portal: upload processed", "upload", id, "outcome", res.Outcome, "took", time.Since(start))
}

// enqueue queues an upload and returns a channel closed when it is done.
func (s *Server) enqueue(id int64) <-chan struct{} {
	ch := make(chan struct{})
	s.qmu.Lock()
	s.queue = append(s.queue, id)
	s.waiters[id] = ch
	s.qmu.Unlock()
	s.signal()
	return ch
}

// limiter is the per-address budget of failed logins: 10 at once, then
// one every 30 seconds.
func (s *Server) limiter(addr string) *rate.Limiter {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	l := s.limiters[addr]
	if l == nil {
		if len(s.limiters) > 10000 { // bounded memory under a scan
			clear(s.limiters)
		}
		l = rate.NewLimiter(rate.Every(30*time.Second), 10)
		s.limiters[addr] = l
	}
	return l
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// validatorPage reads the validator page and the CSP that lets its own
// inline scripts (and WebAssembly) run, by their hashes.
func (s *Server) validatorPage() ([]byte, string, error) {
	if s.cfg.Validator == "" {
		return nil, "", fs.ErrNotExist
	}
	b, err := os.ReadFile(s.cfg.Validator)
	if err != nil {
		return nil, "", err
	}
	hashes := ""
	for _, m := range inlineScript.FindAllSubmatch(b, -1) {
		h := sha256.Sum256(m[1])
		hashes += " 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
	}
	csp := "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'" + hashes +
		"; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self' data: blob:; worker-src 'self' blob:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
	return b, csp, nil
}

var inlineScript = regexp.MustCompile(`(?s)<script(?:\s+type="[^"]*")?\s*>(.*?)</script>`)

// ListenAndServe serves on addr (TLS when both files are given) until ctx
// ends, then shuts down gracefully: new uploads are refused, requests in
// flight (an upload waiting for its result) finish, the upload being
// processed finishes. The caller closes the warehouse after.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	srv := &http.Server{Handler: s.h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	s.Start()
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- srv.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.StopUploads()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err := srv.Shutdown(sctx)
	s.Close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// renderMissing renders the dashboards of every computed month that has
// none in Config.Dashboards, newest first, stopping at shutdown.
func (s *Server) renderMissing() {
	ctx := context.Background()
	months, err := scanStrings(ctx, s.w.DB(), q("months_computed"))
	if err != nil {
		s.log.Error("portal: computed months", "err", err)
		return
	}
	for _, m := range months {
		select {
		case <-s.stop:
			return
		default:
		}
		if fileExists(filepath.Join(s.cfg.Dashboards, m, "index.html")) {
			continue
		}
		s.procMu.Lock()
		d, err := dashboards.Load(ctx, s.w.DB(), dashboards.LoadOptions{Month: m})
		if err == nil {
			_, err = dashboards.RenderData(ctx, d, filepath.Join(s.cfg.Dashboards, m))
		}
		s.procMu.Unlock()
		if err != nil {
			s.log.Error("portal: render dashboards", "month", m, "err", err)
		}
	}
}
