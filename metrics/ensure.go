package metrics

import (
	"context"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"ufa/internal/sqlfile"
)

const fingerprintFile = "sql/compute/fingerprint.sql"

//go:embed sql/compute/fingerprint.sql
var fingerprintSQL string

// The statements of sql/compute/fingerprint.sql, in order.
const (
	fpCurrent = iota
	fpStored
	fpAttempted
	fpDelete
	fpInsert
	fpCount
)

func fingerprintStmts() ([]string, error) {
	var st []string
	for _, s := range sqlfile.Split(fingerprintSQL, sqlfile.Script) {
		st = append(st, s.SQL)
	}
	if len(st) != fpCount {
		return nil, fmt.Errorf("metrics: %s has %d statements, want %d", fingerprintFile, len(st), fpCount)
	}
	return st, nil
}

// definitionsHash identifies the indicator definitions this program
// computes with: the inputs, every indicator's query and the storing. A
// month computed by a program whose indicators read differently is stale
// like one whose workbooks changed.
var definitionsHash = sync.OnceValue(func() string {
	h := sha256.New()
	for _, s := range []string{paramsSQL, citiesSQL, inputsSQL, storeSQL} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, d := range Definitions() {
		h.Write([]byte(d.ID + "\x00" + d.value + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
})

// fingerprint is the current fingerprint of month m: the attempts of every
// month its windows read, and the definitions.
func fingerprint(ctx context.Context, q querier, st []string, month string) (string, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return "", err
	}
	// The scheme does not move the windows; the default's deadline is not read.
	w := newWindow(m, DefaultScheme())
	var text string
	if err := q.QueryRowContext(ctx, st[fpCurrent], w.first.Format("2006-01"), month).Scan(&text); err != nil {
		return "", fmt.Errorf("metrics: fingerprint of %s: %w", month, err)
	}
	sum := sha256.Sum256([]byte(definitionsHash() + "\n" + text))
	return hex.EncodeToString(sum[:]), nil
}

// storeFingerprint records the month's fingerprint in Compute's
// transaction (so it is of the same snapshot the values were computed from).
func storeFingerprint(ctx context.Context, q querier, month string) error {
	st, err := fingerprintStmts()
	if err != nil {
		return err
	}
	fp, err := fingerprint(ctx, q, st, month)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, st[fpDelete], month); err != nil {
		return fmt.Errorf("metrics: storing the fingerprint of %s: %w", month, err)
	}
	if _, err := q.ExecContext(ctx, st[fpInsert], month, fp); err != nil {
		return fmt.Errorf("metrics: storing the fingerprint of %s: %w", month, err)
	}
	return nil
}

// Stale returns, ascending, the months among months whose stored
// indicators are missing or stale: computed from workbook attempts (of any
// month their windows read) or definitions other than the current ones,
// or before fingerprints were recorded; or never computed although the
// month has workbook attempts. A month never computed and with no attempt
// at all has nothing to compute and is not listed. Stale only reads, so it
// works on a warehouse opened read-only.
func Stale(ctx context.Context, db *sql.DB, months ...string) ([]string, error) {
	ms, err := sortedMonths(months)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	st, err := fingerprintStmts()
	if err != nil {
		return nil, err
	}
	stored, err := monthMap(ctx, db, st[fpStored], ms)
	if err != nil && isMissingTable(err) {
		stored, err = map[string]string{}, nil // a warehouse older than metric_inputs: nothing is current
	}
	if err != nil {
		return nil, fmt.Errorf("metrics: reading stored fingerprints: %w", err)
	}
	attempted, err := monthMap(ctx, db, st[fpAttempted], ms)
	if err != nil {
		return nil, fmt.Errorf("metrics: reading the months with workbooks: %w", err)
	}
	var out []string
	for _, m := range ms {
		fp, computed := stored[m]
		if !computed {
			if _, ok := attempted[m]; ok {
				out = append(out, m)
			}
			continue
		}
		cur, err := fingerprint(ctx, db, st, m)
		if err != nil {
			return nil, err
		}
		if fp != cur {
			out = append(out, m)
		}
	}
	return out, nil
}

// Ensure makes the stored indicators of months current: it computes, in
// month order, each month Stale lists, a stale month with the scheme it
// was last computed with, a month never computed with the default scheme.
// It returns the months it computed. Commands that show stored figures
// (dashboards, report, explain) and the monthly job call it first.
func Ensure(ctx context.Context, db *sql.DB, months ...string) ([]string, error) {
	return EnsureWith(ctx, db, nil, months...)
}

// EnsureWith is Ensure computing the months never computed with scheme
// (the default when nil), as the monthly job does with its --scheme.
func EnsureWith(ctx context.Context, db *sql.DB, scheme *Scheme, months ...string) ([]string, error) {
	stale, err := Stale(ctx, db, months...)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, m := range stale {
		s := scheme
		if run, err := LoadRun(ctx, db, m); err == nil {
			s = run.Scheme // recomputing does not change a month's scheme
		} else if !errors.Is(err, ErrNotComputed) {
			return done, err
		}
		if err := Compute(ctx, db, m, s); err != nil {
			return done, fmt.Errorf("重新计算 %s 的指标：%w", m, err)
		}
		done = append(done, m)
	}
	return done, nil
}

// monthMap runs a query of fingerprint.sql over a list of months that
// gives a month and a text per row.
func monthMap(ctx context.Context, db *sql.DB, query string, months []string) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, query, months)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var m, v string
		if err := rows.Scan(&m, &v); err != nil {
			return nil, err
		}
		out[m] = v
	}
	return out, rows.Err()
}

// sortedMonths checks and de-duplicates months, ascending.
func sortedMonths(months []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, m := range months {
		if _, err := ParseMonth(m); err != nil {
			return nil, err
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

// staleError says which months are stale, for a reader that cannot
// recompute them.
func staleError(months []string) error {
	return fmt.Errorf("%w：%s（其报送数据在计算后有变化）", ErrStale, strings.Join(months, "、"))
}

// ErrStale: stored indicators were computed from workbooks that are no
// longer current.
var ErrStale = errors.New("指标需要重新计算")

// CheckCurrent returns an error wrapping ErrStale when any of months is
// stale or missing (see Stale): for readers of stored figures that must
// never show old ones.
func CheckCurrent(ctx context.Context, db *sql.DB, months ...string) error {
	stale, err := Stale(ctx, db, months...)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		return staleError(stale)
	}
	return nil
}
