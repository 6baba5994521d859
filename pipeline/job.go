package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"ufa/dashboards"
	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/report"
	"ufa/transform"
)

// InputError: what the caller gave cannot be worked with (an inbox that
// is not a folder, an output folder that cannot be written). Nothing was
// ingested. Msg says so without naming the caller's way of giving it;
// Kind lets the caller (cmd/ufa) add how to give it right (a flag).
type InputError struct {
	Kind InputKind
	Path string
	Msg  string
}

// InputKind tells which input an InputError is about.
type InputKind int

const (
	OtherInput    InputKind = iota
	InboxNotDir             // JobOptions.Inbox is not a folder
	ForeignFolder           // the demo's folder holds things the demo did not make
)

func (e *InputError) Error() string { return e.Msg }

func inputf(format string, a ...any) error { return &InputError{Msg: fmt.Sprintf(format, a...)} }

// JobOptions are the monthly job's inputs.
type JobOptions struct {
	DB     string
	Month  string // YYYY-MM
	Inbox  string
	Out    string
	Scheme *metrics.Scheme // nil: the built-in scheme
	Book   *spec.Book      // nil: spec.Load()
	Log    *slog.Logger
	Engine transform.Engine // the warehouse engine's bounds (zero: transform's defaults)
	// Ingest ingests the inbox into the warehouse (the caller resolves the
	// key and prints), telling taken of each file in the order of the
	// attempts. The job calls it once, after checking the inbox and the
	// output folders.
	Ingest func(ctx context.Context, taken func(Taken)) error
}

// JobFile is what became of one file of the inbox.
type JobFile struct {
	Path   string
	Loaded transform.Loaded
	// Annotated is the annotated copy of a rejected workbook ("" if none;
	// Note then says why).
	Annotated string
	Note      string
}

// LateCity is a city whose first accepted workbook was filed after the
// deadline.
type LateCity struct {
	Name    string
	FiledOn string // 填报日期 of its first accepted workbook
}

// JobResult is what the monthly job did and the month's status.
type JobResult struct {
	Month    string
	Inbox    string
	Files    []JobFile // in the order of the attempts
	Computed []string  // months whose indicators were computed, ascending
	// Why says why a month other than Month was computed.
	Why        map[string]string
	Before     []string   // cities accepted in an earlier run, nothing new this time (an older workbook is news)
	Missing    []string   // no accepted workbook for the month
	Late       []LateCity // first accepted workbook filed after the deadline
	Cities     []string   // the 14 city names in code order
	Deadline   time.Time
	Dashboards string // the dashboards' index page
	Report     string // the report workbook
	DB         string
}

// Rejected counts the files this job rejected.
func (r *JobResult) Rejected() int {
	n := 0
	for _, f := range r.Files {
		if f.Loaded.Outcome == transform.Rejected {
			n++
		}
	}
	return n
}

// MonthlyJob is the provincial office's monthly job (ufa run): ingest the
// inbox, compute the month, render the dashboards and the report, and
// work out the month's status per city.
//
//   - The inbox is ingested as ufa ingest does it (opt.Ingest), so a late
//     correction of an earlier month found in the inbox is accepted too.
//   - Months computed: the month itself (with opt.Scheme, else the
//     built-in one); every earlier month for which this job recorded an
//     accepted or rejected workbook, with the scheme it was last computed
//     with; and every other month of the dashboards' trend that is missing
//     or stale (metrics.EnsureWith: never computed though it has
//     submissions, with the month's scheme; or computed from submissions
//     that have changed since, with its own). Later months are left to
//     their own run.
//   - Rejected workbooks get their annotated copy in OUT/rejected/
//     <name>_校验.xlsx (a file rejected before and sent again unchanged
//     too, if its copy is not there).
//   - Late: the city's first accepted workbook (the warehouse's
//     first_accepted) was filed after the scheme's deadline (on_time 0).
//     Missing: no accepted workbook for the month.
func MonthlyJob(ctx context.Context, opt JobOptions) (*JobResult, error) {
	if opt.Book == nil {
		opt.Book = spec.Load()
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	res := &JobResult{Month: opt.Month, Inbox: opt.Inbox, DB: opt.DB, Why: map[string]string{}}
	if st, err := os.Stat(opt.Inbox); err != nil || !st.IsDir() {
		return nil, &InputError{Kind: InboxNotDir, Path: opt.Inbox, Msg: fmt.Sprintf("收件箱 %s 不存在或不是文件夹", opt.Inbox)}
	}
	rejectedDir := filepath.Join(opt.Out, "rejected")
	dashDir := filepath.Join(opt.Out, "dashboards")
	if err := writable(opt.Out, rejectedDir, dashDir); err != nil {
		return nil, err
	}

	// 1. Ingest; annotate each rejected workbook as it is recorded.
	t := time.Now()
	if opt.Ingest != nil {
		err := opt.Ingest(ctx, func(tk Taken) {
			f := JobFile{Path: tk.Path, Loaded: tk.Loaded}
			if tk.Loaded.Outcome == transform.Rejected || tk.Loaded.SameAsRejected {
				f.Annotated, f.Note = annotate(ctx, opt.Book, log, tk.Path, tk.Result, rejectedDir)
			}
			res.Files = append(res.Files, f)
		})
		if err != nil {
			return nil, err
		}
	}
	log.Debug("run: ingested", "month", opt.Month, "took", time.Since(t))
	t = time.Now()

	// 2. Compute.
	w, err := transform.Open(ctx, opt.DB, transform.Options{Book: opt.Book, Engine: opt.Engine})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	scheme := opt.Scheme
	if scheme == nil {
		scheme = metrics.DefaultScheme()
	}
	months := map[string]*metrics.Scheme{opt.Month: scheme}
	for _, f := range res.Files {
		m := f.Loaded.Month
		if m == "" || m >= opt.Month || months[m] != nil || f.Loaded.Outcome == transform.Unchanged {
			continue
		}
		months[m] = scheme
		if run, err := metrics.LoadRun(ctx, w.DB(), m); err == nil {
			months[m] = run.Scheme // recomputing does not change a month's scheme
		}
		res.Why[m] = "本次收到该月的报送"
	}
	if err := compute(ctx, w, months, res); err != nil {
		return nil, err
	}
	// The other months the pages show that are missing (a warehouse
	// filled with ufa ingest alone) or stale (workbooks loaded since they
	// were computed), as ufa dashboards does: a month never computed with
	// this job's scheme, a stale one with its own.
	trend, err := dashboards.Months(opt.Month)
	if err != nil {
		return nil, err
	}
	stale, err := metrics.Stale(ctx, w.DB(), trend...)
	if err != nil {
		return nil, err
	}
	for _, m := range stale {
		if _, err := metrics.LoadRun(ctx, w.DB(), m); errors.Is(err, metrics.ErrNotComputed) {
			res.Why[m] = "看板的趋势需要，此前未计算"
		} else if err != nil {
			return nil, err
		} else {
			res.Why[m] = "该月的指标所依据的报送在上次计算后有变化"
		}
	}
	done, err := metrics.EnsureWith(ctx, w.DB(), scheme, trend...)
	if err != nil {
		return nil, fmt.Errorf("计算看板所需月份的指标: %w", err)
	}
	res.Computed = append(res.Computed, done...)
	sort.Strings(res.Computed)
	data, err := dashboards.Load(ctx, w.DB(), dashboards.LoadOptions{Month: opt.Month})
	if err != nil {
		return nil, err
	}
	status(res, data, scheme)
	log.Debug("run: computed", "months", res.Computed, "took", time.Since(t))
	t = time.Now()

	// 3. Dashboards.
	r, err := dashboards.RenderData(ctx, data, dashDir)
	if err != nil {
		return nil, fmt.Errorf("生成看板: %w", err)
	}
	res.Dashboards = r.Index
	log.Debug("run: dashboards", "took", time.Since(t))

	// 4. The report.
	t = time.Now()
	rep := filepath.Join(opt.Out, opt.Month+"_考核报告.xlsx")
	if err := report.WriteFile(ctx, w.DB(), opt.Month, rep); err != nil {
		return nil, fmt.Errorf("写出考核报告: %w", err)
	}
	res.Report = rep
	log.Debug("run: report", "took", time.Since(t))
	return res, nil
}

// writable creates the output folders and makes sure a file can be
// written in them before anything is ingested: an unwritable output
// leaves the warehouse untouched.
func writable(dirs ...string) error {
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return inputf("无法创建输出文件夹 %s：%v（请检查路径和写权限）", d, err)
		}
		f, err := os.CreateTemp(d, ".ufa-run-*")
		if err != nil {
			return inputf("输出文件夹 %s 无法写入：%v（请检查写权限）", d, err)
		}
		f.Close()
		os.Remove(f.Name())
	}
	return nil
}

// AnnotatedName is the annotated copy of a workbook in dir:
// <name>_校验.xlsx.
func AnnotatedName(dir, path string) string {
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return filepath.Join(dir, stem+"_校验.xlsx")
}

// annotate writes the annotated copy of a rejected workbook into dir
// (validating it again when ingest did not, because the same file had
// been rejected before) and returns its path, or a note saying why there
// is none.
func annotate(ctx context.Context, book *spec.Book, log *slog.Logger, path string, r *ingest.Result, dir string) (string, string) {
	out := AnnotatedName(dir, path)
	if r == nil {
		if _, err := os.Stat(out); err == nil {
			return out, "" // written when the file was first rejected
		}
		r = ingest.Validate(ctx, book, path, ingest.Options{})
	}
	switch err := ingest.Annotate(ctx, book, r, out); {
	case errors.Is(err, ingest.ErrNotAnnotatable):
		return "", "文件无法打开，没有可标注的内容"
	case err != nil:
		log.Warn("annotate", "file", path, "err", err)
		return "", fmt.Sprintf("标注副本未能写出：%v", err)
	}
	return out, ""
}

// compute computes the months (ascending) with their schemes.
func compute(ctx context.Context, w *transform.Warehouse, months map[string]*metrics.Scheme, res *JobResult) error {
	ms := make([]string, 0, len(months))
	for m := range months {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	for _, m := range ms {
		if err := metrics.Compute(ctx, w.DB(), m, months[m]); err != nil {
			return fmt.Errorf("计算 %s 的指标: %w", m, err)
		}
		res.Computed = append(res.Computed, m)
	}
	sort.Strings(res.Computed)
	return nil
}

// status fills in the cities missing, late, and accepted before this job,
// from the month's stored indicators (submitted, on_time) and the
// submission history (in the order of the attempts).
func status(res *JobResult, d *dashboards.Data, scheme *metrics.Scheme) {
	m, _ := metrics.ParseMonth(res.Month)
	res.Deadline = scheme.Deadline(m)
	// Cities with news this job for the month: accepted, or an older
	// workbook (listed apart, with the current one it did not replace).
	now := map[string]bool{}
	for _, f := range res.Files {
		if f.Loaded.Month == res.Month && (f.Loaded.Outcome == transform.Accepted || f.Loaded.Older) {
			now[f.Loaded.CityName] = true
		}
	}
	for _, c := range d.Cities {
		res.Cities = append(res.Cities, c.Name)
		if v, ok := d.Values.Get(res.Month, c.Code, "submitted"); !ok || v != 1 {
			res.Missing = append(res.Missing, c.Name)
			continue
		}
		if !now[c.Name] {
			res.Before = append(res.Before, c.Name)
		}
		if v, ok := d.Values.Get(res.Month, c.Code, "on_time"); ok && v == 0 {
			lc := LateCity{Name: c.Name}
			for _, s := range d.Submissions { // by attempt: the first accepted one
				if s.City == c.Code && s.Month == res.Month && s.Accepted {
					lc.FiledOn = s.FiledOn
					break
				}
			}
			res.Late = append(res.Late, lc)
		}
	}
}
