package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"

	"ufa/ingest"
)

// Outcomes of a submission (submissions.outcome).
const (
	Accepted   = "accepted"
	Superseded = "superseded"
	Rejected   = "rejected"
	Unchanged  = "unchanged"
)

// File is a workbook file as received.
type File struct {
	Name     string    // the file's base name
	SHA256   string    // hex
	Received time.Time // when ufa took it
}

// HashFile computes the SHA-256 of a file.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Prior is an earlier submission of the same file.
type Prior struct {
	ID                        int64
	CityCode, CityName, Month string
	FiledOn                   time.Time
	Outcome                   string // Accepted or Superseded (Known), Rejected (KnownRejected)
	Errors                    int    // of a rejected prior
}

// Loaded is what became of one file.
type Loaded struct {
	ID       int64
	Outcome  string // Accepted, Rejected or Unchanged
	Replaced int64  // Accepted: the submission it superseded (0: none)
	// ReplacedFile is the file name of the superseded submission.
	ReplacedFile string
	SameAs       int64 // Unchanged: the earlier submission of the same file
	// SameAsRejected: the earlier submission of the same file was rejected
	// (with SameAsErrors errors), so nothing of it is in the warehouse.
	SameAsRejected bool
	SameAsErrors   int
	CityCode       string
	CityName       string
	Month          string
	Errors         int
	Warnings       int // including the cross-city ones
	// CrossCity are the W_CROSS_CITY_ORG / W_CROSS_CITY_REP warnings found
	// against the other cities' current workbooks (also stored as findings
	// of this submission).
	CrossCity []ingest.Finding
	Rows      int64 // sheet rows loaded
}

// Known returns the first loaded (accepted or superseded) submission of a
// file with this SHA-256.
func (w *Warehouse) Known(ctx context.Context, sha string) (Prior, bool, error) {
	var p Prior
	var filed sql.NullTime
	err := w.db.QueryRowContext(ctx, q("submission_by_sha"), sha).Scan(&p.ID, &p.CityCode, &p.CityName, &p.Month, &filed)
	if errors.Is(err, sql.ErrNoRows) {
		return Prior{}, false, nil
	}
	if err != nil {
		return Prior{}, false, fmt.Errorf("查找已导入的文件: %w", err)
	}
	p.FiledOn = filed.Time
	p.Outcome = Accepted
	return p, true, nil
}

// KnownRejected returns the latest rejected attempt of the same file under
// the same name. Sending it again changes nothing, so ufa ingest records it
// as unchanged instead of checking it again; a renamed file is checked
// again, since the file name takes part in validation (E_COVER).
func (w *Warehouse) KnownRejected(ctx context.Context, sha, name string) (Prior, bool, error) {
	p := Prior{Outcome: Rejected}
	var filed sql.NullTime
	err := w.db.QueryRowContext(ctx, q("submission_rejected_same"), sha, name).Scan(&p.ID, &p.CityCode, &p.CityName, &p.Month, &filed, &p.Errors)
	if errors.Is(err, sql.ErrNoRows) {
		return Prior{}, false, nil
	}
	if err != nil {
		return Prior{}, false, fmt.Errorf("查找已拒收的文件: %w", err)
	}
	p.FiledOn = filed.Time
	return p, true, nil
}

// RecordUnchanged records that the file of prior was received again: the
// attempt is kept, nothing else changes.
func (w *Warehouse) RecordUnchanged(ctx context.Context, f File, prior Prior) (Loaded, error) {
	var id int64
	err := w.db.QueryRowContext(ctx, q("submission_insert"),
		f.Name, f.SHA256, nullStr(prior.CityCode), nullStr(prior.CityName), nullStr(prior.Month), nullDate(prior.FiledOn),
		f.Received.UTC(), Unchanged, 0, 0, prior.ID).Scan(&id)
	if err != nil {
		return Loaded{}, fmt.Errorf("记录报送 %s: %w", f.Name, err)
	}
	return Loaded{ID: id, Outcome: Unchanged, SameAs: prior.ID, CityCode: prior.CityCode, CityName: prior.CityName, Month: prior.Month,
		SameAsRejected: prior.Outcome == Rejected, SameAsErrors: prior.Errors}, nil
}

// Submit stores a validated workbook: a workbook with errors as a
// rejected attempt with its findings, an accepted one whole, in one
// transaction, superseding the city-month's earlier one. On any error the
// warehouse is as it was. Submit is Prepare, then Store.
func (w *Warehouse) Submit(ctx context.Context, f File, res *ingest.Result) (Loaded, error) {
	p, err := w.Prepare(res)
	if err != nil {
		return Loaded{}, fmt.Errorf("%s: %w", f.Name, err)
	}
	defer p.Release()
	return w.Store(ctx, f, p)
}

// Prepared is a checked workbook ready to be stored: an accepted one as
// its Arrow batches, whose rows no longer sit in the workbook.
type Prepared struct {
	res  *ingest.Result
	recs map[string]arrow.RecordBatch // nil for a rejected workbook
}

// Accepted tells whether the workbook will be loaded (no errors, city and
// month known).
func accepted(res *ingest.Result) bool {
	wb := res.Workbook
	return res.Errors() == 0 && wb != nil && wb.City != nil && !wb.Month.IsZero()
}

// Prepare turns an accepted workbook's rows into Arrow batches under the
// province key and takes the rows out of res.Workbook: a batch of
// workbooks waiting to be stored in filing order then holds compact
// columns rather than cells. It may run on several goroutines at once.
// The caller releases the result.
func (w *Warehouse) Prepare(res *ingest.Result) (*Prepared, error) {
	p := &Prepared{res: res}
	if !accepted(res) {
		return p, nil
	}
	if w.key == nil {
		return nil, errors.New("transform: Prepare before UseKey")
	}
	recs, err := ingest.Records(w.mem, res.Workbook, w.key)
	if err != nil {
		return nil, err
	}
	p.recs = recs
	for _, t := range res.Workbook.Tables {
		if t != nil {
			t.Rows = nil
		}
	}
	return p, nil
}

// Result is the validation result the workbook was prepared from.
func (p *Prepared) Result() *ingest.Result { return p.res }

// Release releases the Arrow batches.
func (p *Prepared) Release() {
	if p != nil && p.recs != nil {
		ingest.ReleaseRecords(p.recs)
		p.recs = nil
	}
}

// Store stores a prepared workbook (see Submit).
func (w *Warehouse) Store(ctx context.Context, f File, p *Prepared) (Loaded, error) {
	if p.recs == nil {
		if accepted(p.res) {
			return Loaded{}, fmt.Errorf("%s: stored twice or released", f.Name)
		}
		return w.reject(ctx, f, p.res)
	}
	return w.load(ctx, f, p.res, p.recs)
}

// submissionArgs are the values of submission_insert for a result.
func submissionArgs(f File, res *ingest.Result, outcome string, warnings int) []any {
	var code, name, month any
	var filed any
	if wb := res.Workbook; wb != nil {
		if wb.City != nil {
			code, name = wb.City.Code, wb.City.Name
		}
		if !wb.Month.IsZero() {
			month = wb.Month.Format("2006-01")
		}
		filed = nullDate(wb.FiledOn)
	}
	return []any{f.Name, f.SHA256, code, name, month, filed, f.Received.UTC(), outcome, res.Errors(), warnings, nil}
}

func (w *Warehouse) reject(ctx context.Context, f File, res *ingest.Result) (Loaded, error) {
	out := Loaded{Outcome: Rejected, Errors: res.Errors(), Warnings: res.Warnings()}
	if wb := res.Workbook; wb != nil {
		if wb.City != nil {
			out.CityCode, out.CityName = wb.City.Code, wb.City.Name
		}
		if !wb.Month.IsZero() {
			out.Month = wb.Month.Format("2006-01")
		}
	}
	err := w.inTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, q("submission_insert"), submissionArgs(f, res, Rejected, res.Warnings())...).Scan(&out.ID); err != nil {
			return fmt.Errorf("记录报送: %w", err)
		}
		return w.copyFindings(ctx, conn, tx, out.ID, res.Findings, 1)
	})
	if err != nil {
		return Loaded{}, fmt.Errorf("%s: %w", f.Name, err)
	}
	return out, nil
}

// load is Submit's transaction, given the workbook's record batches.
func (w *Warehouse) load(ctx context.Context, f File, res *ingest.Result, recs map[string]arrow.RecordBatch) (Loaded, error) {
	wb := res.Workbook
	out := Loaded{Outcome: Accepted, CityCode: wb.City.Code, CityName: wb.City.Name, Month: wb.Month.Format("2006-01"),
		Errors: 0, Warnings: res.Warnings()}
	err := w.inTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, q("submission_current"), out.CityCode, out.Month).Scan(&out.Replaced, &out.ReplacedFile)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("查找本月已有报送: %w", err)
		}
		if err := tx.QueryRowContext(ctx, q("submission_insert"), submissionArgs(f, res, Accepted, res.Warnings())...).Scan(&out.ID); err != nil {
			return fmt.Errorf("记录报送: %w", err)
		}
		if out.Replaced != 0 {
			if _, err := tx.ExecContext(ctx, q("submission_supersede"), out.ID, out.Replaced); err != nil {
				return fmt.Errorf("替换前一版本: %w", err)
			}
		}
		if err := w.copyFindings(ctx, conn, tx, out.ID, res.Findings, 1); err != nil {
			return err
		}
		for _, sh := range w.book.Sheets {
			rec := recs[sh.Key]
			if rec == nil {
				return fmt.Errorf("工作簿缺少工作表 %s", sh.Name)
			}
			args := []any{out.ID, out.CityCode, out.Month}
			if sh.Key == "cover" {
				args = args[:2] // the cover brings its own month
			}
			if err := copyRecord(ctx, conn, tx, "ufa_arrow_"+sh.Key, rec, q("load_"+sh.Key), args...); err != nil {
				return fmt.Errorf("导入工作表 %s: %w", sh.Name, err)
			}
			out.Rows += rec.NumRows()
			if w.afterSheet != nil {
				if err := w.afterSheet(sh.Key); err != nil {
					return err
				}
			}
		}
		cross, err := w.crossCity(ctx, tx, out, wb)
		if err != nil {
			return err
		}
		if len(cross) > 0 {
			if err := w.copyFindings(ctx, conn, tx, out.ID, cross, len(res.Findings)+1); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, q("submission_add_warnings"), len(cross), out.ID); err != nil {
				return err
			}
			out.CrossCity = cross
			out.Warnings += len(cross)
		}
		return nil
	})
	if err != nil {
		return Loaded{}, fmt.Errorf("%s: %w", f.Name, err)
	}
	return out, nil
}

// inTx runs fn in one transaction on one connection (a registered Arrow
// view belongs to its connection), committing when fn succeeds and rolling
// back otherwise.
func (w *Warehouse) inTx(ctx context.Context, fn func(*sql.Conn, *sql.Tx) error) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(conn, tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	// Views left registered point at released streams: drop them in the
	// same transaction.
	if _, err := tx.ExecContext(ctx, q("drop_arrow_views")); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// arrowChunk is the number of rows of each batch DuckDB reads.
const arrowChunk = 16384

// copyRecord registers rec as the Arrow view name on the transaction's
// connection and copies it into its table with the statement load (which
// reads the view once), binding args.
func copyRecord(ctx context.Context, conn *sql.Conn, tx *sql.Tx, name string, rec arrow.RecordBatch, load string, args ...any) error {
	// Zero-copy slices: DuckDB scans a stream of several batches in
	// parallel, and one batch of 100,000 rows was 4 times slower to copy.
	var parts []arrow.RecordBatch
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	for i := int64(0); i == 0 || i < rec.NumRows(); i += arrowChunk {
		parts = append(parts, rec.NewSlice(i, min(i+arrowChunk, rec.NumRows())))
	}
	rdr, err := array.NewRecordReader(rec.Schema(), parts)
	if err != nil {
		return err
	}
	defer rdr.Release()
	var release func()
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("not a database/sql driver connection: %T", dc)
		}
		ar, err := duckdb.NewArrowFromConn(c)
		if err != nil {
			return err
		}
		release, err = ar.RegisterView(rdr, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("register Arrow view %s: %w", name, err)
	}
	defer release()
	if _, err := tx.ExecContext(ctx, load, args...); err != nil {
		return err
	}
	return nil
}

// copyFindings stores findings (masked) as rows of findings, numbered from
// first.
func (w *Warehouse) copyFindings(ctx context.Context, conn *sql.Conn, tx *sql.Tx, id int64, fs []ingest.Finding, first int) error {
	if len(fs) == 0 {
		return nil
	}
	rec := ingest.FindingsRecord(w.mem, w.book, fs, first)
	defer rec.Release()
	if err := copyRecord(ctx, conn, tx, "ufa_arrow_findings", rec, q("load_findings"), id); err != nil {
		return fmt.Errorf("保存校验结果: %w", err)
	}
	return nil
}

// crossCity finds, for the submission just loaded, the organizations and
// representatives that another city's current workbook of the same month
// also lists.
func (w *Warehouse) crossCity(ctx context.Context, tx *sql.Tx, l Loaded, wb *ingest.Workbook) ([]ingest.Finding, error) {
	var out []ingest.Finding
	type check struct {
		query, code, sheet, field, what string
	}
	for _, c := range []check{
		{"cross_city_orgs", "W_CROSS_CITY_ORG", "organizations", "credit_code", "统一社会信用代码"},
		{"cross_city_reps", "W_CROSS_CITY_REP", "representatives", "id_number", "公民身份号码"},
	} {
		t := wb.Tables[c.sheet]
		sheetName, column := "", ""
		if t != nil {
			sheetName = t.Name
			column = t.Cell(t.Spec.ColumnIndex(c.field))
		}
		rows, err := tx.QueryContext(ctx, q(c.query), l.ID, l.Month, l.CityCode)
		if err != nil {
			return nil, fmt.Errorf("跨市核对: %w", err)
		}
		for rows.Next() {
			var row int
			var value, name, otherCity, otherFile string
			if err := rows.Scan(&row, &value, &name, &otherCity, &otherFile); err != nil {
				rows.Close()
				return nil, err
			}
			f := ingest.Finding{Severity: ingest.Warning, Code: c.code, Sheet: sheetName, Row: row, Column: column, Field: c.field, Value: value}
			if c.code == "W_CROSS_CITY_ORG" {
				f.Message = fmt.Sprintf("社会组织“%s”（%s %s）在%s本月的报送（%s）中也有：同一组织只应由一个市填报，请与%s核实归属后由另一方删除",
					name, c.what, value, otherCity, otherFile, otherCity)
			} else {
				f.Message = fmt.Sprintf("代表人士%s（%s %s）也在%s本月的代表人士名单（%s）中：同一人只应列入一个市的名单，请与%s核实后由另一方删除",
					name, c.what, value, otherCity, otherFile, otherCity)
			}
			out = append(out, f)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("跨市核对: %w", err)
		}
	}
	return out, nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format("2006-01-02")
}
