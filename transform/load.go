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
	"ufa/transform/records"
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
	Outcome                   string // Accepted (loaded before) or Rejected (rejected before under the same name)
	Errors                    int    // of a rejected prior
}

// Loaded is what became of one file.
type Loaded struct {
	ID      int64
	Outcome string // Accepted, Rejected, Unchanged, or Superseded (Older)
	// Replaced (Accepted): the submission it superseded (0: none).
	Replaced int64
	// ReplacedFile is the file name of the superseded submission.
	ReplacedFile string
	// Older: the workbook passed its checks but its 填报日期 is earlier
	// than that of the city-month's current workbook (Current,
	// CurrentFile, CurrentFiledOn), which stays current. The workbook is
	// recorded (outcome superseded, superseded_by the current one) with
	// its rows, as history.
	Older          bool
	Current        int64
	CurrentFile    string
	CurrentFiledOn time.Time
	// FiledOn is the workbook's 填报日期 (zero when unknown).
	FiledOn time.Time
	SameAs  int64 // Unchanged: the earlier submission of the same file
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

// Incoming is a workbook on its way into the warehouse: the file as
// received and either the earlier attempt of the very same file (it will
// be recorded as unchanged) or its checked content, prepared for loading.
// Receive makes one, Take takes it; Release frees what it holds.
type Incoming struct {
	File  File
	prior *Prior
	prep  *prepared
}

// FiledOn is the workbook's 填报日期 (that of the earlier attempt for a
// file seen before), zero when it could not be read: the first key of the
// order in which a batch is taken.
func (in *Incoming) FiledOn() time.Time {
	if in.prior != nil {
		return in.prior.FiledOn
	}
	if wb := in.prep.res.Workbook; wb != nil {
		return wb.FiledOn
	}
	return time.Time{}
}

// Result is the validation result, nil when the same file was seen
// before and not checked again.
func (in *Incoming) Result() *ingest.Result {
	if in.prep == nil {
		return nil
	}
	return in.prep.res
}

// Release releases the Arrow batches of an accepted workbook.
func (in *Incoming) Release() {
	if in != nil {
		in.prep.Release()
	}
}

// Receive is the first half of taking a workbook, the half that may run
// on several goroutines at once and writes nothing: unless the same file
// (f.SHA256) was loaded before, or rejected before under the same name,
// it runs check and turns an accepted result into Arrow batches. A file
// whose hash could not be computed (f.SHA256 empty) is always checked.
func (w *Warehouse) Receive(ctx context.Context, f File, check func() *ingest.Result) (*Incoming, error) {
	in := &Incoming{File: f}
	if f.SHA256 != "" {
		prior, ok, err := w.known(ctx, f.SHA256)
		if err != nil {
			return nil, err
		}
		if !ok {
			prior, ok, err = w.knownRejected(ctx, f.SHA256, f.Name)
			if err != nil {
				return nil, err
			}
		}
		if ok {
			in.prior = &prior
			return in, nil
		}
	}
	p, err := w.prepare(check())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	in.prep = p
	return in, nil
}

// Take is the warehouse's one verb for "take this workbook" (after
// Receive): it records the attempt and, for an accepted workbook, loads
// it, keeping the rules of the history in one place:
//   - the very same file as a loaded one (also one taken earlier in the
//     same batch), or as a rejected one under the same name, is recorded
//     as unchanged and loads nothing;
//   - a workbook with errors is recorded as rejected with its findings;
//   - an accepted workbook becomes the city-month's current one, replacing
//     the current one, unless its 填报日期 is earlier than the current
//     one's: then it is recorded (Older) and the current one stays.
//
// Attempts are numbered in the order Take is called (submissions.id), so
// callers take a batch in the order they decide it (填报日期, then file
// name). The time recorded is f.Received, or now when zero. The caller
// releases in.
func (w *Warehouse) Take(ctx context.Context, in *Incoming) (Loaded, error) {
	f := in.File
	if f.Received.IsZero() {
		f.Received = time.Now()
	}
	if in.prior == nil && f.SHA256 != "" {
		prior, ok, err := w.known(ctx, f.SHA256)
		if err != nil {
			return Loaded{}, err
		}
		if ok {
			in.prior = &prior
		}
	}
	if in.prior != nil {
		return w.recordUnchanged(ctx, f, *in.prior)
	}
	return w.store(ctx, f, in.prep)
}

// Submit takes a workbook already checked (res): Receive with res as the
// check's result, then Take.
func (w *Warehouse) Submit(ctx context.Context, f File, res *ingest.Result) (Loaded, error) {
	in, err := w.Receive(ctx, f, func() *ingest.Result { return res })
	if err != nil {
		return Loaded{}, err
	}
	defer in.Release()
	return w.Take(ctx, in)
}

// known returns the first loaded (accepted or superseded) submission of a
// file with this SHA-256.
func (w *Warehouse) known(ctx context.Context, sha string) (Prior, bool, error) {
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

// knownRejected returns the latest rejected attempt of the same file under
// the same name. Sending it again changes nothing, so it is recorded as
// unchanged instead of checked again; a renamed file is checked again,
// since the file name takes part in validation (E_COVER).
func (w *Warehouse) knownRejected(ctx context.Context, sha, name string) (Prior, bool, error) {
	p := Prior{Outcome: Rejected}
	var filed sql.NullTime
	err := w.db.QueryRowContext(ctx, q("submission_rejected_same"), sha, name).Scan(&p.ID, &p.CityCode, &p.CityName, &p.Month, &filed, &p.Errors)
	if errors.Is(err, sql.ErrNoRows) {
		return Prior{}, false, nil
	}
	if err != nil {
		return Prior{}, false, fmt.Errorf("查找被拒收的文件: %w", err)
	}
	p.FiledOn = filed.Time
	return p, true, nil
}

// recordUnchanged records that the file of prior was received again: the
// attempt is kept, nothing else changes.
func (w *Warehouse) recordUnchanged(ctx context.Context, f File, prior Prior) (Loaded, error) {
	var id int64
	err := w.db.QueryRowContext(ctx, q("submission_insert"),
		f.Name, f.SHA256, nullStr(prior.CityCode), nullStr(prior.CityName), nullStr(prior.Month), nullDate(prior.FiledOn),
		f.Received.UTC(), Unchanged, 0, 0, prior.ID).Scan(&id)
	if err != nil {
		return Loaded{}, fmt.Errorf("记录报送 %s: %w", f.Name, err)
	}
	return Loaded{ID: id, Outcome: Unchanged, SameAs: prior.ID, CityCode: prior.CityCode, CityName: prior.CityName, Month: prior.Month,
		FiledOn: prior.FiledOn, SameAsRejected: prior.Outcome == Rejected, SameAsErrors: prior.Errors}, nil
}

// prepared is a checked workbook ready to be stored: an accepted one as
// its Arrow batches, whose rows no longer sit in the workbook.
type prepared struct {
	res  *ingest.Result
	recs map[string]arrow.RecordBatch // nil for a rejected workbook
}

// Accepted tells whether the workbook will be loaded (no errors, city and
// month known).
func accepted(res *ingest.Result) bool {
	wb := res.Workbook
	return res.Errors() == 0 && wb != nil && wb.City != nil && !wb.Month.IsZero()
}

// prepare turns an accepted workbook's rows into Arrow batches under the
// province key and takes the rows out of res.Workbook: a batch of
// workbooks waiting to be stored in filing order then holds compact
// columns rather than cells. It may run on several goroutines at once.
// The caller releases the result.
func (w *Warehouse) prepare(res *ingest.Result) (*prepared, error) {
	p := &prepared{res: res}
	if !accepted(res) {
		return p, nil
	}
	if w.key == nil {
		return nil, errors.New("transform: Receive before UseKey")
	}
	recs, err := records.Records(w.mem, res.Workbook, w.key)
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

// Release releases the Arrow batches.
func (p *prepared) Release() {
	if p != nil && p.recs != nil {
		records.ReleaseRecords(p.recs)
		p.recs = nil
	}
}

// store stores a prepared workbook (see Take).
func (w *Warehouse) store(ctx context.Context, f File, p *prepared) (Loaded, error) {
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
	// A file that could not be read as a workbook (an .xls, say) counts
	// for the city and month its name states, so that the city is not
	// shown as one that sent nothing.
	city, m, _ := res.Attributed()
	if city != nil {
		code, name = city.Code, city.Name
	}
	if !m.IsZero() {
		month = m.Format("2006-01")
	}
	if wb := res.Workbook; wb != nil {
		filed = nullDate(wb.FiledOn)
	}
	return []any{f.Name, f.SHA256, code, name, month, filed, f.Received.UTC(), outcome, res.Errors(), warnings, nil}
}

func (w *Warehouse) reject(ctx context.Context, f File, res *ingest.Result) (Loaded, error) {
	out := Loaded{Outcome: Rejected, Errors: res.Errors(), Warnings: res.Warnings()}
	if wb := res.Workbook; wb != nil {
		out.FiledOn = wb.FiledOn
	}
	city, month, _ := res.Attributed()
	if city != nil {
		out.CityCode, out.CityName = city.Code, city.Name
	}
	if !month.IsZero() {
		out.Month = month.Format("2006-01")
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
		FiledOn: wb.FiledOn, Errors: 0, Warnings: res.Warnings()}
	err := w.inTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		var cur int64
		var curFile string
		var curFiled sql.NullTime
		err := tx.QueryRowContext(ctx, q("submission_current"), out.CityCode, out.Month).Scan(&cur, &curFile, &curFiled)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("查找本月已有报送: %w", err)
		}
		// An older workbook never replaces a newer one: the same day or
		// later does (a correction filed the same day), an unknown date
		// on either side too (as before this rule).
		if cur != 0 && curFiled.Valid && !wb.FiledOn.IsZero() && wb.FiledOn.Before(curFiled.Time) {
			out.Older, out.Outcome = true, Superseded
			out.Current, out.CurrentFile, out.CurrentFiledOn = cur, curFile, curFiled.Time
		} else if cur != 0 {
			out.Replaced, out.ReplacedFile = cur, curFile
		}
		if err := tx.QueryRowContext(ctx, q("submission_insert"), submissionArgs(f, res, Accepted, res.Warnings())...).Scan(&out.ID); err != nil {
			return fmt.Errorf("记录报送: %w", err)
		}
		if out.Replaced != 0 {
			if _, err := tx.ExecContext(ctx, q("submission_supersede"), out.ID, out.Replaced); err != nil {
				return fmt.Errorf("替换前一版本: %w", err)
			}
		}
		if out.Older {
			if _, err := tx.ExecContext(ctx, q("submission_supersede"), out.Current, out.ID); err != nil {
				return fmt.Errorf("记录较早的版本: %w", err)
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
		if out.Older {
			return nil // not current: nothing to compare with the other cities
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
	rec := records.FindingsRecord(w.mem, w.book, fs, first)
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
