package transform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/testing/testbook"
)

// A rejected workbook sent again under the same name is recorded as
// unchanged (the earlier attempt, its errors), not checked again; renamed,
// it is checked again (the name takes part in the checks). Submit takes a
// workbook already checked.
func TestRejectedSentAgain(t *testing.T) {
	w, _ := openTest(t)
	ctx := context.Background()
	b := testbook.Valid()
	b.Set("社会组织", 0, "从业人员数", -1) // E_RANGE
	p := writeBook(t, t.TempDir(), b, testbook.FileName)
	sha, err := HashFile(p)
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Submit(ctx, File{Name: testbook.FileName, SHA256: sha, Received: time.Now()}, ingest.Validate(ctx, w.book, p, ingest.Options{}))
	if err != nil || first.Outcome != Rejected || first.Errors == 0 {
		t.Fatalf("first: %+v %v, want rejected", first, err)
	}
	again := submit(t, w, p)
	if again.Outcome != Unchanged || again.SameAs != first.ID || !again.SameAsRejected || again.SameAsErrors != first.Errors ||
		again.CityCode != first.CityCode || again.Month != first.Month || again.CityCode == "" {
		t.Errorf("sent again: %+v, want unchanged, same as rejected %d with %d errors", again, first.ID, first.Errors)
	}
	renamed := filepath.Join(t.TempDir(), "改名_"+testbook.FileName)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(renamed, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if l := submit(t, w, renamed); l.Outcome != Rejected || l.SameAs != 0 {
		t.Errorf("renamed: %+v, want checked again and rejected", l)
	}
	var n int
	if err := w.DB().QueryRow(`SELECT count(*) FROM submissions WHERE outcome = 'unchanged' AND same_as = ?`, first.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d unchanged attempts recorded for the rejected file (%v), want 1", n, err)
	}
}

// Submit of an accepted workbook before the province key is given fails
// and stores nothing.
func TestSubmitWithoutKey(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "ufa.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p := writeBook(t, t.TempDir(), testbook.Valid(), testbook.FileName)
	l, err := w.Submit(ctx, File{Name: testbook.FileName, SHA256: "x"}, ingest.Validate(ctx, w.book, p, ingest.Options{}))
	if err == nil || !strings.Contains(err.Error(), "UseKey") || l.ID != 0 {
		t.Errorf("Submit without a key: %+v %v, want an error", l, err)
	}
	var n int
	if err := w.DB().QueryRow(`SELECT count(*) FROM submissions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d submissions stored (%v), want none", n, err)
	}
}
