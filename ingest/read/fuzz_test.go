package read

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ufa/ingest/internal/ingesttest"
	"ufa/internal/spec"
	"ufa/internal/testing/testbook"
	"ufa/internal/xlsxscan"
)

// FuzzRead feeds arbitrary bytes to the reader: it must not panic (the
// recovery that turns an excelize panic into E_FILE is off here, so any
// panic shows with its stack), must return within the guard, and must
// keep its contract: either a workbook and no E_FILE, or no workbook and
// exactly one E_FILE; rows in increasing Excel order with one value per
// spec column. The seeds (testdata/fuzz/FuzzRead) are a valid testbook
// workbook and small files of the wild corpus: renamed .xls, encrypted,
// truncated, entity bomb, inline strings, missing parts, HTML.
func FuzzRead(f *testing.F) {
	book := spec.Load()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.xlsx")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		wb, fs := rdRead(ctx, book, p, false)
		if ctx.Err() != nil {
			t.Fatalf("Read took longer than the guard")
		}
		rdCheckFindings(t, fs)
		fileErrs := 0
		for _, f := range fs {
			if f.Code == "E_FILE" {
				fileErrs++
			}
		}
		if wb == nil {
			if len(fs) != 1 || fileErrs != 1 {
				t.Fatalf("nil workbook with%s", ingesttest.Dump(fs))
			}
			return
		}
		if fileErrs != 0 {
			t.Fatalf("workbook and E_FILE:%s", ingesttest.Dump(fs))
		}
		for key, tb := range wb.Tables {
			last := 0
			for _, r := range tb.Rows {
				if len(r.Values) != len(tb.Spec.Columns) {
					t.Fatalf("%s: row with %d values", key, len(r.Values))
				}
				if !tb.Spec.Items && r.Line <= last {
					t.Fatalf("%s: row %d after %d", key, r.Line, last)
				}
				last = r.Line
			}
		}
	})
}

// TestFuzzSeedValid keeps the first seed honest: the valid workbook seed
// must read without findings, so that the fuzzer starts from a file that
// reaches every stage of the reader.
func TestFuzzSeedValid(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzRead", "valid-testbook"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rdUnquoteSeed(data)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), testbook.FileName)
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	wb, fs := rdReadPath(t, p)
	rdNoFindings(t, fs)
	if wb == nil || len(wb.Tables) != len(spec.Load().Sheets) {
		t.Fatalf("seed workbook not read whole")
	}
}

// BenchmarkRead reads a workbook whose 社会组织 sheet has 100,000 rows
// (written once with excelize's StreamWriter), the rest as testbook.Valid.
func BenchmarkRead(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), testbook.FileName)
	if err := ingesttest.BigBook(path, n); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	book := spec.Load()
	b.Run("organizations-100k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			wb, fs := Read(context.Background(), book, path)
			if wb == nil || len(wb.Tables[spec.SheetOrganizations].Rows) != n || len(fs) != 0 {
				b.Fatalf("read %v with %d findings:%s", wb != nil, len(fs), ingesttest.Dump(fs[:min(len(fs), 5)]))
			}
		}
		b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")
	})
}

// rdUnquoteSeed decodes a one-value seed file of the Go fuzzing corpus
// ("go test fuzz v1" then []byte("...")).
func rdUnquoteSeed(data []byte) ([]byte, error) {
	lines := strings.SplitN(strings.TrimSpace(string(data)), "\n", 2)
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return nil, fmt.Errorf("not a fuzz seed file")
	}
	body, ok := strings.CutPrefix(lines[1], "[]byte(")
	if !ok || !strings.HasSuffix(body, ")") {
		return nil, fmt.Errorf("seed is not a []byte")
	}
	s, err := strconv.Unquote(strings.TrimSuffix(body, ")"))
	return []byte(s), err
}

// FuzzReadSheet fuzzes what FuzzRead's byte mutations rarely reach past
// the package CRC checks: the XML of the 社会组织 sheet inside an
// otherwise valid workbook. Same contract as FuzzRead.
func FuzzReadSheet(f *testing.F) {
	b := testbook.Valid()
	dir := f.TempDir()
	base, err := b.WriteIn(dir, "base.xlsx")
	if err != nil {
		f.Fatal(err)
	}
	part := rdSheetPart(b, "社会组织")
	var sheet []byte
	rdRewrite(f, base, func(name string, data []byte) []byte {
		if name == part {
			sheet = data
		}
		return data
	})
	f.Add(sheet)
	f.Add([]byte(strings.Replace(string(sheet), `<row r="3"`, `<row r="7"`, 1)))
	f.Add([]byte(`<worksheet><sheetData><row><c t="d"><v>2026-10-05</v></c><c t="inlineStr"><is><t>统一社会信用代码</t></is></c></row><row r="1048576"/></sheetData></worksheet>`))
	// Row order and nesting depth (issue 11), on the fast path and, after
	// a cell type it does not read, on the fallback.
	row3 := regexp.MustCompile(`<row r="3"[^>]*>.*?</row>`).Find(sheet)
	f.Add(bytes.Replace(sheet, row3, append(slices.Clone(row3), row3...), 1))
	f.Add(bytes.Replace(bytes.Replace(sheet, row3, append(slices.Clone(row3), row3...), 1), []byte(`<c r="A1"`), []byte(`<c r="A1" t="x"`), 1))
	f.Add(bytes.Replace(sheet, []byte("</sheetData>"), []byte(`<row r="2"><c><v>1</v></c></row></sheetData>`), 1))
	deep := []byte(strings.Repeat("<x>", 5000) + strings.Repeat("</x>", 5000))
	f.Add(bytes.Replace(sheet, []byte("</sheetData>"), append(deep, "</sheetData>"...), 1))
	f.Add(bytes.Replace(bytes.Replace(sheet, []byte("</sheetData>"), append(deep, "</sheetData>"...), 1), []byte(`<c r="A1"`), []byte(`<c r="A1" t="x"`), 1))
	book := spec.Load()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), testbook.FileName)
		src, err := os.ReadFile(base)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		rdRewrite(t, p, func(name string, old []byte) []byte {
			if name == part {
				return data
			}
			return old
		})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		wb, fs := rdRead(ctx, book, p, false)
		if ctx.Err() != nil {
			t.Fatalf("Read took longer than the guard")
		}
		rdCheckFindings(t, fs)
		// A sheet whose rows or cells are out of order, or nested too
		// deep, is never read, on either path.
		if _, err := xlsxscan.CheckStructure(context.Background(), bytes.NewReader(data)); wb != nil &&
			(errors.Is(err, xlsxscan.ErrOrder) || errors.Is(err, xlsxscan.ErrDepth)) {
			t.Fatalf("read a sheet with %v", err)
		}
		if wb == nil {
			if len(fs) != 1 || fs[0].Code != "E_FILE" {
				t.Fatalf("nil workbook with%s", ingesttest.Dump(fs))
			}
			return
		}
		if tb := wb.Tables[spec.SheetOrganizations]; tb != nil {
			last := 0
			for _, r := range tb.Rows {
				if len(r.Values) != len(tb.Spec.Columns) || r.Line <= last {
					t.Fatalf("row %d after %d with %d values", r.Line, last, len(r.Values))
				}
				last = r.Line
			}
		}
	})
}
