package genwh

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/gen"
	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/transform"
)

// Key is the province key of the warehouses Build makes (tests only).
var Key = []byte("genwh test key - 32 bytes long!!")

// Built is a warehouse Build made.
type Built struct {
	DB      string       // the warehouse file (closed)
	Summary *gen.Summary // what gen wrote
	Months  []string     // the months generated and computed, in order
	Loaded  []transform.Loaded
}

// kindOrder is the order in which files of one city-month arrive: the
// rejected first attempt, then the regular (or late) one, then the
// correction.
var kindOrder = map[gen.Kind]int{gen.KindRejected: 0, gen.KindRegular: 1, gen.KindLate: 1, gen.KindCorrection: 2}

// Build generates opt (opt.Out is used for the workbooks), loads every
// month's files (not faults/) into a new warehouse at dbPath, and computes
// every month with the default scheme. A file is received on its 填报日期
// at 09:00 plus one minute per file, so the same options give the same
// warehouse contents.
func Build(ctx context.Context, book *spec.Book, opt gen.Options, dbPath string) (*Built, error) {
	return BuildWith(ctx, book, opt, dbPath, nil)
}

// BuildWith is Build with a hook between generating and loading: prepare
// gets the workbooks in the order they will be loaded, may change them
// (plant hostile text, say), and returns the list to load, to which it may
// add files of its own; an added file is received a minute after the one
// before it.
func BuildWith(ctx context.Context, book *spec.Book, opt gen.Options, dbPath string, prepare func(paths []string) ([]string, error)) (*Built, error) {
	sum, err := gen.Generate(ctx, book, opt, nil)
	if err != nil {
		return nil, fmt.Errorf("genwh: generate: %w", err)
	}
	var files []gen.File
	for _, f := range sum.Files {
		if f.Kind != gen.KindFault {
			files = append(files, f)
		}
	}
	slices.SortFunc(files, func(a, b gen.File) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]),
			cmp.Compare(a.FiledOn, b.FiledOn), cmp.Compare(a.Path, b.Path))
	})
	paths := make([]string, len(files))
	received := make([]time.Time, len(files))
	for i, f := range files {
		filed, err := time.Parse("2006-01-02", f.FiledOn)
		if err != nil {
			return nil, fmt.Errorf("genwh: %s: 填报日期 %q: %w", f.Path, f.FiledOn, err)
		}
		paths[i] = filepath.Join(opt.Out, filepath.FromSlash(f.Path))
		received[i] = filed.Add(9*time.Hour + time.Duration(i)*time.Minute)
	}
	if prepare != nil {
		if paths, err = prepare(paths); err != nil {
			return nil, err
		}
		for len(received) < len(paths) {
			last := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			if len(received) > 0 {
				last = received[len(received)-1]
			}
			received = append(received, last.Add(time.Minute))
		}
	}
	w, err := transform.Open(ctx, dbPath, transform.Options{Book: book})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	if err := w.UseKey(ctx, Key); err != nil {
		return nil, err
	}
	b := &Built{DB: dbPath, Summary: sum}
	for i, p := range paths {
		l, err := Submit(ctx, w, p, received[i])
		if err != nil {
			return nil, err
		}
		b.Loaded = append(b.Loaded, l)
	}
	from, to, err := opt.Range()
	if err != nil {
		return nil, err
	}
	for m := from; !m.After(to); m = m.AddDate(0, 1, 0) {
		month := m.Format("2006-01")
		if err := metrics.Compute(ctx, w.DB(), month, nil); err != nil {
			return nil, fmt.Errorf("genwh: metrics %s: %w", month, err)
		}
		b.Months = append(b.Months, month)
	}
	return b, nil
}

// Submit does for one file what ufa ingest does, through the
// warehouse's one verb (Receive, Take): the same file again (or a
// rejected one under the same name) is recorded as unchanged, anything
// else is validated and taken. received is the time recorded.
func Submit(ctx context.Context, w *transform.Warehouse, path string, received time.Time) (transform.Loaded, error) {
	sha, err := transform.HashFile(path)
	if err != nil {
		return transform.Loaded{}, err
	}
	f := transform.File{Name: filepath.Base(path), SHA256: sha, Received: received}
	in, err := w.Receive(ctx, f, func() *ingest.Result { return ingest.Validate(ctx, spec.Load(), path, ingest.Options{}) })
	if err != nil {
		return transform.Loaded{}, fmt.Errorf("genwh: %s: %w", path, err)
	}
	defer in.Release()
	l, err := w.Take(ctx, in)
	if err != nil {
		return l, fmt.Errorf("genwh: %s: %w", path, err)
	}
	return l, nil
}

// Shared is one generated warehouse for all the tests of a package: built
// on first use, in a folder that Main removes when the tests are done.
type Shared struct {
	opt   gen.Options
	dir   string
	build func() (*Built, error)
}

// NewShared describes the warehouse; opt.Out is ignored (the workbooks go
// into the shared folder).
func NewShared(opt gen.Options) *Shared {
	s := &Shared{opt: opt}
	s.build = sync.OnceValues(func() (*Built, error) {
		o := s.opt
		o.Out = filepath.Join(s.dir, "gen")
		return Build(context.Background(), spec.Load(), o, filepath.Join(s.dir, "ufa.duckdb"))
	})
	return s
}

// Main is the package's TestMain: it makes the folder, runs the tests and
// removes it.
func (s *Shared) Main(m *testing.M) int {
	dir, err := os.MkdirTemp("", "ufa-genwh-")
	if err != nil {
		panic(err)
	}
	s.dir = dir
	defer os.RemoveAll(dir)
	return m.Run()
}

// Get returns the warehouse, building it on the first call.
func (s *Shared) Get() (*Built, error) { return s.build() }
