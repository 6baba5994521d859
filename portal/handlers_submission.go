package portal

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"ufa/ingest"
	"ufa/internal/spec"
)

// Submission is an attempt as the warehouse recorded it: the page of an
// attempt loaded with ufa ingest or ufa run, which has no portal upload
// (and so no stored original and no annotated copy).
type Submission struct {
	ID           int64
	FileName     string
	SHA256       string
	CityCode     string
	Month        string
	FiledOn      time.Time
	Received     time.Time
	Outcome      string // the warehouse's words (attempts.outcome_name)
	Errors       int
	Warnings     int
	Seq          int
	SupersededBy int64
	ReplacedFile string
	Upload       int64 // the portal upload it came from (0: none)
	Report       string
}

func getSubmission(ctx context.Context, db *sql.DB, id int64) (*Submission, error) {
	var s Submission
	var filed sql.NullTime
	err := db.QueryRowContext(ctx, q("submission_get"), id).Scan(&s.ID, &s.FileName, &s.SHA256, &s.CityCode, &s.Month, &filed,
		&s.Received, &s.Outcome, &s.Errors, &s.Warnings, &s.Seq, &s.SupersededBy, &s.ReplacedFile, &s.Upload)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("读取报送记录 %d: %w", id, err)
	}
	s.FiledOn = filed.Time
	return &s, nil
}

// submissionReport is the attempt's findings as ufa validate prints them,
// from the findings the warehouse keeps.
func submissionReport(ctx context.Context, db *sql.DB, book *spec.Book, s *Submission) (string, error) {
	rows, err := db.QueryContext(ctx, q("findings_get"), s.ID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	res := &ingest.Result{File: s.FileName, Workbook: &ingest.Workbook{}}
	if c, ok := book.City(s.CityCode); ok {
		res.Workbook.City = &c
	}
	if m, err := time.Parse("2006-01", s.Month); err == nil {
		res.Workbook.Month = m
	}
	for rows.Next() {
		var f ingest.Finding
		var sev string
		if err := rows.Scan(&sev, &f.Code, &f.Sheet, &f.Row, &f.Column, &f.Field, &f.Value, &f.Message); err != nil {
			return "", err
		}
		f.Severity = ingest.Severity(sev)
		res.Findings = append(res.Findings, f)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := ingest.WriteReport(&buf, book, res); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func scopeSubmission(s *Server, r *http.Request) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return "", errNotFound
	}
	sub, err := getSubmission(r.Context(), s.w.DB(), id)
	if err != nil {
		return "", err
	}
	return sub.CityCode, nil
}

type submissionData struct {
	S    *Submission
	City spec.City
}

// submission shows an attempt from the warehouse; one that came through
// the portal is shown on its upload's page.
func (s *Server) submission(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ctx := r.Context()
	sub, err := getSubmission(ctx, s.w.DB(), id)
	if err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	if sub.Upload != 0 {
		http.Redirect(w, r, fmt.Sprintf("/attempts/%d", sub.Upload), http.StatusSeeOther)
		return
	}
	if sub.Report, err = submissionReport(ctx, s.w.DB(), s.book, sub); err != nil {
		s.serverError(w, r, c.sess, err)
		return
	}
	city, _ := s.book.City(sub.CityCode)
	s.render(w, r, c.sess, http.StatusOK, "submission", "报送记录："+sub.FileName, submissionData{S: sub, City: city})
}
