package portal

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"ufa/internal/spec"
	"ufa/metrics"
)

// The status words of portal.md.
const (
	StatusMissing  = "未报送"
	StatusAccepted = "已接收"
	StatusRejected = "被拒收"
	StatusLate     = "迟报"
)

// CityStatus is a city's standing in a month.
type CityStatus struct {
	City     spec.City
	Status   string // one of the four words
	FiledOn  time.Time
	Attempts int
	Errors   int   // of the latest attempt
	Late     bool  // the first accepted workbook was filed after the deadline
	Current  int64 // the accepted submission (0: none)
	Latest   int64 // the latest attempt's submission (0: none)
}

// StatusSource says where each city stands in a month (the pipeline's
// month status once it is merged).
type StatusSource interface {
	MonthStatus(ctx context.Context, month string) (deadline time.Time, cities []CityStatus, err error)
}

// warehouseStatus reads the month's attempts from submissions: accepted
// (or late: its first accepted workbook was filed after the deadline of
// the month's scheme, as metrics' on_time), rejected (attempts, none
// accepted), missing.
type warehouseStatus struct {
	db   *sql.DB
	book *spec.Book
}

func (ws *warehouseStatus) MonthStatus(ctx context.Context, month string) (time.Time, []CityStatus, error) {
	m, err := metrics.ParseMonth(month)
	if err != nil {
		return time.Time{}, nil, err
	}
	scheme := metrics.DefaultScheme()
	if run, err := metrics.LoadRun(ctx, ws.db, month); err == nil {
		scheme = run.Scheme
	} else if !errors.Is(err, metrics.ErrNotComputed) {
		return time.Time{}, nil, err
	}
	deadline := scheme.Deadline(m)
	out := make([]CityStatus, len(ws.book.Cities))
	at := map[string]*CityStatus{}
	for i, c := range ws.book.Cities {
		out[i] = CityStatus{City: c, Status: StatusMissing}
		at[c.Code] = &out[i]
	}
	rows, err := ws.db.QueryContext(ctx, q("month_attempts"), month)
	if err != nil {
		return deadline, nil, err
	}
	defer rows.Close()
	firstAccepted := map[string]bool{}
	for rows.Next() {
		var id int64
		var city, outcome, name string
		var errs int
		var filed sql.NullTime
		var received time.Time
		if err := rows.Scan(&id, &city, &outcome, &errs, &filed, &received, &name); err != nil {
			return deadline, nil, err
		}
		cs := at[city]
		if cs == nil {
			continue
		}
		cs.Attempts++
		cs.Latest, cs.Errors = id, errs
		switch outcome {
		case "accepted", "superseded":
			if !firstAccepted[city] {
				firstAccepted[city] = true
				cs.Late = filed.Valid && filed.Time.After(deadline)
			}
			if outcome == "accepted" {
				cs.Current, cs.FiledOn = id, filed.Time
			}
		}
	}
	for i := range out {
		cs := &out[i]
		switch {
		case cs.Current != 0 && cs.Late:
			cs.Status = StatusLate
		case cs.Current != 0:
			cs.Status = StatusAccepted
		case cs.Attempts > 0:
			cs.Status = StatusRejected
		}
	}
	return deadline, out, rows.Err()
}

// openMonths are the months a city may upload for: the current calendar
// month and the two before it, unless the office has locked them.
func (s *Server) openMonths(ctx context.Context) ([]string, error) {
	now := s.now().In(cst)
	var out []string
	for i := 0; i < 3; i++ {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		locked, _, err := s.monthLock(ctx, m)
		if err != nil {
			return nil, err
		}
		if !locked {
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *Server) monthLock(ctx context.Context, month string) (bool, string, error) {
	var by string
	var at time.Time
	err := s.w.DB().QueryRowContext(ctx, q("lock_get"), month).Scan(&by, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, "", nil
	}
	return err == nil, by, err
}
