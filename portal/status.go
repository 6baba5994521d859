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

// StatusSource says where each city stands in a month.
type StatusSource interface {
	MonthStatus(ctx context.Context, month string) (deadline time.Time, cities []CityStatus, err error)
}

// warehouseStatus is the one definition of a month's status: the
// warehouse's views that on_time and submitted (and so ufa run's summary
// and the report's 报送情况) read, with the deadline of the scheme the
// month was last computed with (else the built-in one). Missing: no
// attempt; rejected: attempts, none accepted; accepted, or late when the
// first accepted workbook's 填报日期 is after the deadline (on_time 0).
// It reads the views rather than the stored indicators so that the board
// is current before the month is (re)computed, e.g. after ufa ingest.
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
	rows, err := ws.db.QueryContext(ctx, q("month_status"), month, deadline.Format("2006-01-02"))
	if err != nil {
		return deadline, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var city string
		var st CityStatus
		var filed sql.NullTime
		if err := rows.Scan(&city, &st.Attempts, &st.Latest, &st.Errors, &st.Late, &st.Current, &filed); err != nil {
			return deadline, nil, err
		}
		cs := at[city]
		if cs == nil {
			continue
		}
		st.City, st.FiledOn = cs.City, filed.Time
		switch {
		case st.Current != 0 && st.Late:
			st.Status = StatusLate
		case st.Current != 0:
			st.Status = StatusAccepted
		default:
			st.Status = StatusRejected
		}
		*cs = st
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
