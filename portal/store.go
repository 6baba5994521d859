package portal

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"ufa/internal/sqlfile"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// q returns the statement in sql/<name>.sql. A missing file is a
// programming error caught by every test that runs the statement.
func q(name string) string { return sqlfile.Text(sqlFiles, "sql/"+name+".sql") }

// Role is what an account may do.
type Role string

// The three roles of portal.md.
const (
	City   Role = "city"
	Office Role = "office"
	Leader Role = "leader"
)

// RoleName is a role's Chinese name.
func RoleName(r Role) string {
	switch r {
	case City:
		return "市级填报"
	case Office:
		return "省级管理"
	case Leader:
		return "领导"
	}
	return string(r)
}

// Account is a portal user.
type Account struct {
	Name        string
	Role        Role
	CityCode    string // city accounts only
	password    string
	Disabled    bool
	failed      int
	LockedUntil time.Time // zero: not locked
	CreatedAt   time.Time
}

var errNoAccount = errors.New("no such account")

func getAccount(ctx context.Context, db *sql.DB, name string) (*Account, error) {
	var a Account
	var locked sql.NullTime
	err := db.QueryRowContext(ctx, q("account_get"), name).Scan(&a.Name, &a.Role, &a.CityCode, &a.password, &a.Disabled, &a.failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAccount
	}
	if err != nil {
		return nil, fmt.Errorf("读取账户 %s: %w", name, err)
	}
	a.LockedUntil = locked.Time
	return &a, nil
}

func listAccounts(ctx context.Context, db *sql.DB) ([]Account, error) {
	rows, err := db.QueryContext(ctx, q("account_list"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		var locked sql.NullTime
		if err := rows.Scan(&a.Name, &a.Role, &a.CityCode, &a.Disabled, &locked, &a.CreatedAt); err != nil {
			return nil, err
		}
		a.LockedUntil = locked.Time
		out = append(out, a)
	}
	return out, rows.Err()
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Account string
	Address string
	Action  string
	Object  string
	Detail  string
}

func listAudit(ctx context.Context, db *sql.DB, limit int) ([]AuditEntry, error) {
	rows, err := db.QueryContext(ctx, q("audit_list"), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Account, &e.Address, &e.Action, &e.Object, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Upload states.
const (
	statePending = "pending"
	stateDone    = "done"
	stateFailed  = "failed"
)

// Attempt is an upload as the pages show it.
type Attempt struct {
	ID           int64
	SHA256       string
	FileName     string // the client's name: shown, never a path
	Size         int64
	CityCode     string // the city it was uploaded for
	Month        string // the month it was uploaded for ("" when not said)
	Account      string
	Received     time.Time
	State        string
	SubmissionID int64
	Outcome      string
	Errors       int
	Warnings     int
	Report       string
	Annotated    bool
	Note         string
	// From the submission it became.
	SubCity      string
	SubMonth     string
	FiledOn      time.Time
	SupersededBy int64
	ReplacedFile string
	ReplacedID   int64
}

func getAttempt(ctx context.Context, db *sql.DB, id int64) (*Attempt, error) {
	var a Attempt
	var filed sql.NullTime
	err := db.QueryRowContext(ctx, q("upload_columns_get"), id).Scan(&a.ID, &a.SHA256, &a.FileName, &a.Size, &a.CityCode, &a.Month,
		&a.Account, &a.Received, &a.State, &a.SubmissionID, &a.Outcome, &a.Errors, &a.Warnings, &a.Report, &a.Annotated, &a.Note,
		&a.SubCity, &a.SubMonth, &filed, &a.SupersededBy, &a.ReplacedFile, &a.ReplacedID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("读取上传记录 %d: %w", id, err)
	}
	a.FiledOn = filed.Time
	return &a, nil
}

func listAttempts(ctx context.Context, db *sql.DB, query string, args ...any) ([]*Attempt, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*Attempt, 0, len(ids))
	for _, id := range ids {
		a, err := getAttempt(ctx, db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// attemptLink is one of the warehouse's attempts of a city-month, linked
// to its page: the portal upload it came from, else the submission (loaded
// with ufa ingest or ufa run).
type attemptLink struct {
	Submission int64
	City       string
	Seq        int // its place among the city-month's attempts
	Outcome    string
	FileName   string
	Upload     int64 // 0: not uploaded through the portal
	Month      string
	Received   time.Time
}

// Href is the attempt's page.
func (l attemptLink) Href() string {
	if l.Upload != 0 {
		return fmt.Sprintf("/attempts/%d", l.Upload)
	}
	return fmt.Sprintf("/submissions/%d", l.Submission)
}

func attemptLinks(ctx context.Context, db *sql.DB, query string, arg string) ([]attemptLink, error) {
	rows, err := db.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []attemptLink
	for rows.Next() {
		var l attemptLink
		if err := rows.Scan(&l.Submission, &l.City, &l.Seq, &l.Outcome, &l.FileName, &l.Upload, &l.Month, &l.Received); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

var errNotFound = errors.New("not found")

func scanStrings(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
