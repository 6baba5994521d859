package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/transform"
)

// Stage is the part of Ingest a progress report is about.
type Stage int

const (
	Checking Stage = iota // the files are checked in parallel
	Loading               // the files are taken one at a time
)

// Progress is a progress report: done of total files of the stage, the
// last one being path.
type Progress struct {
	Stage       Stage
	Done, Total int
	Path        string
}

// Taken is what became of one file.
type Taken struct {
	Path string
	// Result is the file's validation result, nil when the same file had
	// been seen before and was not checked again.
	Result *ingest.Result
	Loaded transform.Loaded
}

// IngestOptions are Ingest's callbacks and context.
type IngestOptions struct {
	Book *spec.Book   // the contract (spec.Load() when nil)
	Log  *slog.Logger // developer log (discarded when nil)
	// Progress, when set, is told of every file checked and before each
	// file is taken (from several goroutines while checking, one at a
	// time).
	Progress func(Progress)
	// Taken, when set, is told what became of each file as it is taken,
	// in the order of the attempts.
	Taken func(Taken)
}

// IngestSummary counts what became of the files.
type IngestSummary struct {
	Files     int
	Accepted  int // including those that replaced an earlier version
	Replaced  int
	Older     int // accepted but filed before the current workbook: recorded, not current
	Unchanged int
	Rejected  int
	CrossCity int // cross-city warnings
}

// Add counts one file.
func (s *IngestSummary) Add(l transform.Loaded) {
	s.Files++
	switch {
	case l.Outcome == transform.Unchanged:
		s.Unchanged++
	case l.Outcome == transform.Rejected:
		s.Rejected++
	case l.Older:
		s.Older++
	default:
		s.Accepted++
		if l.Replaced != 0 {
			s.Replaced++
		}
	}
	s.CrossCity += len(l.CrossCity)
}

// InterruptedError: the context ended after Taken files were taken; the
// rest were not.
type InterruptedError struct {
	Checking bool // while checking: nothing was taken
	Taken    int
	Err      error
}

func (e *InterruptedError) Error() string {
	if e.Checking {
		return fmt.Sprintf("已中断，尚未导入任何文件: %v", e.Err)
	}
	return fmt.Sprintf("已中断：之前的 %d 个文件已处理完毕，其余未导入，可再次运行导入: %v", e.Taken, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// Ingest checks the workbook files at paths on every core (reading is the
// slow part), then takes them into w one at a time in the one order of
// attempts: by 填报日期 (files whose date cannot be read first), then file
// name, then path, so that of two versions of a city-month the one filed
// later is current whatever their names, and every figure downstream
// follows that order. w must have its key (UseKey). It returns an error
// only when it could not do the work; a rejected workbook is an outcome.
func Ingest(ctx context.Context, w *transform.Warehouse, paths []string, opt IngestOptions) (IngestSummary, error) {
	var sum IngestSummary
	if opt.Book == nil {
		opt.Book = spec.Load()
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	progress := opt.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	start := time.Now()
	items, err := checkAll(ctx, w, opt.Book, paths, progress)
	if err != nil {
		return sum, err
	}
	defer func() {
		for _, it := range items {
			it.in.Release()
		}
	}()
	log.Debug("ingest: files checked", "files", len(items), "took", time.Since(start))
	start = time.Now()
	defer func() { log.Debug("ingest: files stored", "files", sum.Files, "took", time.Since(start)) }()
	Order(items, func(it item) (time.Time, string, string) { return it.in.FiledOn(), it.in.File.Name, it.path })
	for i := range items {
		it := &items[i]
		if err := ctx.Err(); err != nil {
			return sum, &InterruptedError{Taken: i, Err: err}
		}
		progress(Progress{Stage: Loading, Done: i, Total: len(items), Path: it.path})
		l, err := w.Take(ctx, it.in)
		if err != nil {
			return sum, err
		}
		if opt.Taken != nil {
			opt.Taken(Taken{Path: it.path, Result: it.in.Result(), Loaded: l})
		}
		it.in.Release()
		it.in = nil // let the workbook go
		sum.Add(l)
	}
	return sum, nil
}

// Order sorts a batch into the one order of attempts: 填报日期 (unknown
// first), then file name, then path.
func Order[T any](xs []T, key func(T) (filed time.Time, name, path string)) {
	sort.SliceStable(xs, func(i, j int) bool {
		fi, ni, pi := key(xs[i])
		fj, nj, pj := key(xs[j])
		if !fi.Equal(fj) {
			return fi.Before(fj)
		}
		if ni != nj {
			return ni < nj
		}
		return pi < pj
	})
}

// item is one file between checking and taking.
type item struct {
	path string
	in   *transform.Incoming
}

// receive hashes a file and receives it; a file that cannot be read is a
// rejected attempt (E_FILE), like any file that cannot be opened.
func receive(ctx context.Context, w *transform.Warehouse, book *spec.Book, path string) (*transform.Incoming, error) {
	f := transform.File{Name: ingest.ShownName(path)}
	sha, err := transform.HashFile(path)
	if err != nil {
		res := &ingest.Result{File: path, Findings: []ingest.Finding{{Severity: ingest.Error, Code: "E_FILE",
			Message: fmt.Sprintf("无法读取文件：%v。请确认文件存在且有读取权限后重新导入", err)}}}
		return w.Receive(ctx, f, func() *ingest.Result { return res })
	}
	f.SHA256 = sha
	return w.Receive(ctx, f, func() *ingest.Result { return ingest.Validate(ctx, book, path, ingest.Options{}) })
}

// Upload is one workbook received by the portal: the file to check (named
// as the client named it: the name takes part in the checks), its SHA-256
// and reception time, and the city and month it was uploaded for.
type Upload struct {
	Path     string
	Name     string
	SHA256   string
	Received time.Time
	City     string // a city's name or code; "" when not said
	Month    string // YYYY-MM; "" when not said
}

// TakeUpload takes one upload through check and load, as TakeFile does
// with a file of a batch, the upload's city and month given to the checks
// (a workbook for another city or month is an E_COVER).
func TakeUpload(ctx context.Context, w *transform.Warehouse, book *spec.Book, u Upload) (Taken, error) {
	if book == nil {
		book = spec.Load()
	}
	f := transform.File{Name: u.Name, SHA256: u.SHA256, Received: u.Received}
	in, err := w.Receive(ctx, f, func() *ingest.Result {
		return ingest.Validate(ctx, book, u.Path, ingest.Options{City: u.City, Month: u.Month})
	})
	return take(ctx, w, in, err, u.Path)
}

// take is the second half of taking one workbook, received as in (or
// not, with err): the load, whole or not at all.
func take(ctx context.Context, w *transform.Warehouse, in *transform.Incoming, err error, path string) (Taken, error) {
	if err != nil {
		return Taken{}, err
	}
	defer in.Release()
	l, err := w.Take(ctx, in)
	if err != nil {
		return Taken{}, err
	}
	return Taken{Path: path, Result: in.Result(), Loaded: l}, nil
}

// checkAll receives the files on every core, keeping their order.
func checkAll(ctx context.Context, w *transform.Warehouse, book *spec.Book, paths []string, progress func(Progress)) ([]item, error) {
	items := make([]item, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				items[i].path = paths[i]
				items[i].in, errs[i] = receive(ctx, w, book, paths[i])
				mu.Lock()
				progress(Progress{Stage: Checking, Done: done, Total: len(paths), Path: paths[i]})
				done++
				mu.Unlock()
			}
		}()
	}
	for i := range paths {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	release := func() {
		for _, it := range items {
			it.in.Release()
		}
	}
	if err := ctx.Err(); err != nil {
		release()
		return nil, &InterruptedError{Checking: true, Err: err}
	}
	for i, err := range errs {
		if err != nil {
			release()
			return nil, fmt.Errorf("%s: %w", paths[i], err)
		}
	}
	return items, nil
}

// Take takes one workbook through check and load: data are its bytes as
// received (a portal's upload), name its file name (it takes part in the
// checks). The bytes are checked from a temporary file that is removed
// afterwards. w must have its key.
func Take(ctx context.Context, w *transform.Warehouse, book *spec.Book, name string, data []byte) (Taken, error) {
	dir, err := os.MkdirTemp("", "ufa-take-")
	if err != nil {
		return Taken{}, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, filepath.Base(name))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return Taken{}, err
	}
	t, err := TakeFile(ctx, w, book, path)
	t.Path = name // the temporary file is gone
	return t, err
}

// TakeFile takes one workbook file through check and load.
func TakeFile(ctx context.Context, w *transform.Warehouse, book *spec.Book, path string) (Taken, error) {
	if book == nil {
		book = spec.Load()
	}
	in, err := receive(ctx, w, book, path)
	return take(ctx, w, in, err, path)
}
