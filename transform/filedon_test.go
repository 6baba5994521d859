package transform

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ufa/ingest"
	"ufa/internal/testing/testbook"
)

// FiledOn is the first key of the order in which a batch is taken: the
// checked workbook's 填报日期, that of the earlier attempt for a file seen
// before (not checked again: Result is nil), zero for a file that could
// not be read.
func TestIncomingFiledOn(t *testing.T) {
	w, _ := openTest(t)
	ctx := context.Background()
	dir := t.TempDir()
	c := city(t, "沈阳市")
	b := testbook.ValidFor(c, "2026-10")
	b.Set("封面", 0, "填报日期", "2026-11-03")
	p := writeBook(t, dir, b, testbook.FileNameFor(c, "2026-10"))
	check := func(p string) func() *ingest.Result {
		return func() *ingest.Result { return ingest.Validate(ctx, w.book, p, ingest.Options{}) }
	}
	want := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)

	in, err := w.Receive(ctx, File{Name: filepath.Base(p), SHA256: "a"}, check(p))
	if err != nil {
		t.Fatal(err)
	}
	if got := in.FiledOn(); !got.Equal(want) || in.Result() == nil {
		t.Errorf("new file: FiledOn %v, Result %v; want %v and the check's result", got, in.Result(), want)
	}
	if l, err := w.Take(ctx, in); err != nil || l.Outcome != Accepted {
		t.Fatalf("take: %+v %v", l, err)
	}
	in.Release()

	// The same bytes again: the earlier attempt's date, no check.
	again, err := w.Receive(ctx, File{Name: "改名.xlsx", SHA256: "a"}, func() *ingest.Result {
		t.Error("a file seen before was checked again")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := again.FiledOn(); !got.Equal(want) || again.Result() != nil {
		t.Errorf("file seen before: FiledOn %v, Result %v; want %v and nil", got, again.Result(), want)
	}
	again.Release()

	junk := filepath.Join(dir, "坏文件.xlsx")
	if err := os.WriteFile(junk, []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad, err := w.Receive(ctx, File{Name: "坏文件.xlsx", SHA256: "b"}, check(junk))
	if err != nil {
		t.Fatal(err)
	}
	if got := bad.FiledOn(); !got.IsZero() {
		t.Errorf("unreadable file: FiledOn %v, want zero", got)
	}
	bad.Release()
}
