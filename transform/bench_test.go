package transform

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"

	"ufa/ingest"
	"ufa/internal/testing/testbook"
	"ufa/transform/records"
)

// writeBigBook writes Valid's workbook with n organizations (Valid's
// three first, the rest generated), streaming, so that writing it costs
// little memory.
func writeBigBook(b testing.TB, path string, n int) {
	b.Helper()
	book := testbook.Valid()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range book.Sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", s.Name)
		} else if _, err := f.NewSheet(s.Name); err != nil {
			b.Fatal(err)
		}
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			b.Fatal(err)
		}
		rows := s.Rows
		line := 1
		put := func(r []any) {
			cell, _ := excelize.CoordinatesToCellName(1, line)
			if err := sw.SetRow(cell, r); err != nil {
				b.Fatal(err)
			}
			line++
		}
		for _, r := range rows {
			put(r)
		}
		if s.Name == "社会组织" {
			counties := []string{"和平区", "沈河区", "大东区", "皇姑区", "铁西区"}
			for j := len(rows) - 1; j < n; j++ {
				staff := 5 + j%40
				party := j % 5
				put([]any{testbook.CreditCode("51", "210100", 1000+j), fmt.Sprintf("沈阳市第%d社会团体", j), "社会团体", "其他",
					counties[j%len(counties)], "市级", staff, party, staff - party, "否", "", "是", j % 3, "2015-06-01"})
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIngest100k loads a workbook of 100,000 organizations and
// reports rows per second for each stage separately (reading and
// validating the xlsx, building the Arrow batches, loading them into
// DuckDB in one transaction) and the process's peak resident memory.
func BenchmarkIngest100k(b *testing.B) {
	const orgs = 100_000
	path := filepath.Join(b.TempDir(), testbook.FileName)
	writeBigBook(b, path, orgs)
	runtime.GC()
	ctx := context.Background()
	var read, build, load time.Duration
	var rows int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, _ := openTest(b)
		b.StartTimer()

		t0 := time.Now()
		res := ingest.Validate(ctx, w.book, path, ingest.Options{})
		if res.Errors() > 0 {
			b.Fatalf("%d errors, first %+v", res.Errors(), res.Findings[0])
		}
		t1 := time.Now()
		recs, err := records.Records(w.mem, res.Workbook, testKey)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		l, err := w.load(ctx, File{Name: "big.xlsx", SHA256: "bench", Received: time.Now()}, res, recs)
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		records.ReleaseRecords(recs)
		read += t1.Sub(t0)
		build += t2.Sub(t1)
		load += t3.Sub(t2)
		rows += l.Rows

		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
	perSec := func(d time.Duration) float64 { return float64(rows) / d.Seconds() }
	b.ReportMetric(perSec(read), "read-rows/s")
	b.ReportMetric(perSec(build), "arrow-rows/s")
	b.ReportMetric(perSec(load), "load-rows/s")
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB") // Linux: KiB
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "go-heap-sys-MB")
}

// Make sure the checked allocator used by openTest also covers the
// benchmark's batches.
var _ memory.Allocator = (*memory.CheckedAllocator)(nil)
