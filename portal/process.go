package portal

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"ufa/dashboards"
	"ufa/ingest"
	"ufa/internal/spec"
	"ufa/metrics"
	"ufa/pipeline"
	"ufa/transform"
)

// Upload is a received file, synced to disk, waiting to be processed.
type Upload struct {
	ID       int64
	SHA256   string
	FileName string // the client's file name (never a path on this machine)
	Path     string // the stored original, DB.files/<sha256>
	City     string // the city code it was uploaded for
	Month    string // the month it was uploaded for, "" when not said
	Received time.Time
}

// Result is what became of an upload.
type Result struct {
	SubmissionID int64
	Outcome      string // transform.Accepted, Rejected or Unchanged
	Errors       int
	Warnings     int
	// Report is the findings as ufa validate prints them.
	Report string
	// Annotated is the annotated copy written ("" when none).
	Annotated string
	Note      string
}

// Processor checks and loads one stored upload into the warehouse:
// whole or not at all, as ufa ingest does, and brings the month's
// indicators and dashboards up to date before it returns. The portal
// calls it from one goroutine, one upload at a time, in the order
// received. IngestProcessor is the one the portal runs with.
type Processor interface {
	Process(ctx context.Context, u Upload) (Result, error)
	// Recompute computes a month's indicators and re-renders its
	// dashboards (the board's 重新计算).
	Recompute(ctx context.Context, month string) error
}

// IngestProcessor is the Processor built on the pipeline that ufa ingest
// uses (pipeline.TakeUpload), metrics.Compute and dashboards.RenderData.
type IngestProcessor struct {
	W    *transform.Warehouse
	Book *spec.Book
	// Dashboards is the folder the pages go to, one subfolder per month.
	Dashboards string
	// Annotated is the folder the annotated copies go to (<upload id>.xlsx).
	Annotated string
	Log       *slog.Logger
}

// AnnotatedPath is where the annotated copy of upload id is.
func AnnotatedPath(dir string, id int64) string {
	return filepath.Join(dir, fmt.Sprintf("%d.xlsx", id))
}

// Process implements Processor: pipeline.TakeUpload, the same check and
// load as ufa ingest, with the upload's city and month given to the checks.
func (p *IngestProcessor) Process(ctx context.Context, u Upload) (Result, error) {
	// The checks read the file under the client's name, as ufa ingest
	// reads it under its own: the name takes part in them (a file named
	// for another city than its cover is an E_COVER).
	path, cleanup, err := namedCopy(u)
	if err != nil {
		return Result{}, err
	}
	defer cleanup()
	t, err := pipeline.TakeUpload(ctx, p.W, p.Book, pipeline.Upload{
		Path: path, Name: u.FileName, SHA256: u.SHA256, Received: u.Received, City: u.City, Month: u.Month,
	})
	if err != nil {
		return Result{}, err
	}
	l, res := t.Loaded, t.Result
	if res == nil { // the same file seen before: unchanged, as ufa ingest
		what := "与此前已导入的文件相同，未重复导入。"
		if l.SameAsRejected {
			what = fmt.Sprintf("与此前被拒收的文件相同（%d 个错误），仍未导入。请改正后重新上传。", l.SameAsErrors)
		}
		return Result{SubmissionID: l.ID, Outcome: l.Outcome, Errors: l.SameAsErrors, Note: what}, nil
	}
	r := Result{}
	if len(res.Findings) > 0 && res.Workbook != nil {
		out := AnnotatedPath(p.Annotated, u.ID)
		switch err := ingest.Annotate(ctx, p.Book, res, out); {
		case errors.Is(err, ingest.ErrNotAnnotatable):
		case err != nil:
			p.Log.Warn("portal: annotate", "upload", u.ID, "err", err)
		default:
			r.Annotated = out
		}
	}
	res.File = u.FileName // the report names the client's file
	var buf bytes.Buffer
	if err := ingest.WriteReport(&buf, p.Book, res); err != nil {
		return Result{}, err
	}
	for _, cf := range l.CrossCity {
		fmt.Fprintf(&buf, "  提示 %s %s 第%d行 %s列：%s\n", cf.Code, cf.Sheet, cf.Row, cf.Column, ingest.MaskIDs(cf.Message))
	}
	r.SubmissionID, r.Outcome, r.Errors, r.Warnings, r.Report = l.ID, l.Outcome, l.Errors, l.Warnings, buf.String()
	switch {
	case l.Older:
		r.Note = fmt.Sprintf("通过校验，但填报日期早于现行版本 %s，未替换现行版本（已记入报送历史）；如确应以此版为准，请把封面的填报日期改为今天后重新上传。", l.CurrentFile)
	case l.Replaced != 0:
		r.Note = fmt.Sprintf("替换了此前接收的 %s。", l.ReplacedFile)
	}
	if l.Month != "" && l.Outcome == transform.Accepted {
		if err := p.Recompute(ctx, l.Month); err != nil {
			return r, err
		}
	}
	return r, nil
}

// namedCopy links the stored original under the client's file name in a
// folder of its own (a copy when it cannot be linked); cleanup removes it.
func namedCopy(u Upload) (string, func(), error) {
	dir, err := os.MkdirTemp("", "ufa-upload-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	name := filepath.Base(u.FileName)
	if name == "." || name == ".." || name == string(filepath.Separator) || name == "" {
		name = "upload.xlsx"
	}
	path := filepath.Join(dir, name)
	if err := os.Link(u.Path, path); err != nil {
		if err := copyFile(u.Path, path); err != nil {
			cleanup()
			return "", nil, err
		}
	}
	return path, cleanup, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Recompute implements Processor: the month's indicators with the scheme
// it was last computed with (else the built-in one); then every later
// computed month whose figures are now stale (their windows read this
// month); then the pages of this month and of every later computed month,
// whose trends show this month.
func (p *IngestProcessor) Recompute(ctx context.Context, month string) error {
	db := p.W.DB()
	scheme := metrics.DefaultScheme()
	if run, err := metrics.LoadRun(ctx, db, month); err == nil {
		scheme = run.Scheme
	} else if !errors.Is(err, metrics.ErrNotComputed) {
		return err
	}
	if err := metrics.Compute(ctx, db, month, scheme); err != nil {
		return fmt.Errorf("计算 %s 的指标: %w", month, err)
	}
	computed, err := scanStrings(ctx, db, q("months_computed"))
	if err != nil {
		return err
	}
	var later []string
	for _, m := range computed {
		if m > month {
			later = append(later, m)
		}
	}
	if _, err := metrics.Ensure(ctx, db, later...); err != nil {
		return err
	}
	for _, m := range append([]string{month}, later...) {
		d, err := dashboards.Load(ctx, db, dashboards.LoadOptions{Month: m})
		if err != nil {
			return fmt.Errorf("读取 %s 的看板数据: %w", m, err)
		}
		if _, err := dashboards.RenderData(ctx, d, filepath.Join(p.Dashboards, m)); err != nil {
			return fmt.Errorf("生成 %s 的看板: %w", m, err)
		}
	}
	return nil
}

// recover finds the attempt an upload became when the portal stopped
// between storing it and recording the result (same file, same reception
// time), so that a restart does not load it twice.
func recoverAttempt(ctx context.Context, db *sql.DB, u Upload) (Result, bool, error) {
	var r Result
	var city, month string
	err := db.QueryRowContext(ctx, q("submission_find"), u.SHA256, u.Received).Scan(&r.SubmissionID, &r.Outcome, &r.Errors, &r.Warnings, &city, &month)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	r.Note = "门户在处理中途停止，重新启动后找回了此次结果；详细问题请重新上传同一文件查看，或下载标注副本。"
	return r, true, nil
}

// fileExists tells whether path is a regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
