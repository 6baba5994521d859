package report

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"

	"github.com/xuri/excelize/v2"

	"ufa/internal/xlsxscan"
)

// The check of the annotated copy before it is handed back: its sheets
// are the original's behind the 校验结果 sheet, and every stored value of
// every sheet the annotation streamed is the original's. The other sheets
// are copied as compressed bytes (the zip reader checks their CRC when
// they are read). Both sides are read by xlsxscan, in bounded memory, two
// goroutines at once; a sheet the fast path does not read is compared
// through excelize, as the reader itself would fall back.

func refuseSheet(sheet string) error {
	return fmt.Errorf("标注副本中工作表“%s”的内容与原件不一致，已放弃写出；请用 Excel 或 WPS 将原件另存为“Excel 工作簿(*.xlsx)”后重试", sheet)
}

func refuseUnsafe(err error) error {
	return fmt.Errorf("该工作簿的结构无法安全写入标注（%v），为免标注副本与原件不一致，已放弃写出；请用 Excel 或 WPS 将原件另存为“Excel 工作簿(*.xlsx)”后重试", err)
}

var verifyLimits = xlsxscan.Limits{MaxTotal: maxTotalBytes, MaxEntries: maxEntries + 16}

// verifyCopy checks the written copy: its sheets are the original's
// behind the 校验结果 sheet (the values of the streamed sheets were checked
// as they were written), and the sheets the fast path could not read are
// compared through excelize.
func verifyCopy(ctx context.Context, a *annotation, src io.ReaderAt, size int64, cp io.ReaderAt, csize int64) error {
	cb, err := xlsxscan.Open(ctx, cp, csize, verifyLimits)
	if err != nil {
		return fmt.Errorf("核对标注副本: %w", err)
	}
	cs := cb.Sheets()
	if len(cs) != len(a.p.sheets)+1 || cs[0].Name != a.results {
		return refuseSheet(a.results)
	}
	for i, s := range a.p.sheets {
		if cs[i+1].Name != s.name {
			return refuseSheet(s.name)
		}
	}
	if len(a.recheck) == 0 {
		return nil
	}
	return verifyExcelize(src, size, cp, csize, a.recheck)
}

// sheetDigest digests every stored value of a sheet's XML with its place
// (maphash with one seed per copy: not guessable, so a crafted workbook
// cannot make two different sheets digest alike).
func sheetDigest(ctx context.Context, b *xlsxscan.Book, seed maphash.Seed, r io.Reader) (uint64, error) {
	var h maphash.Hash
	h.SetSeed(seed)
	var num [8]byte
	err := b.RowsOf(ctx, r, func(row int, cells []xlsxscan.Cell) error {
		binary.LittleEndian.PutUint64(num[:], uint64(row))
		h.Write(num[:])
		for i := range cells {
			c := &cells[i]
			binary.LittleEndian.PutUint64(num[:], uint64(c.Col)<<16|uint64(c.Type)<<1|boolBit(c.Formula))
			h.Write(num[:])
			v := c.String()
			binary.LittleEndian.PutUint64(num[:], uint64(len(v)))
			h.Write(num[:])
			h.WriteString(v)
		}
		return nil
	})
	return h.Sum64(), err
}

func boolBit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// verifyExcelize compares sheets the fast path does not read, through
// excelize (whose memory the reader's fallback costs already).
func verifyExcelize(src io.ReaderAt, size int64, cp io.ReaderAt, csize int64, names []string) error {
	open := func(r io.ReaderAt, n int64) (*excelize.File, error) {
		return excelize.OpenReader(io.NewSectionReader(r, 0, n), excelize.Options{UnzipSizeLimit: maxTotalBytes, UnzipXMLSizeLimit: 64 << 20})
	}
	of, err := open(src, size)
	if err != nil {
		return refuseUnsafe(err)
	}
	defer of.Close()
	cf, err := open(cp, csize)
	if err != nil {
		return fmt.Errorf("核对标注副本: %w", err)
	}
	defer cf.Close()
	for _, s := range names {
		a, errA := of.GetRows(s, excelize.Options{RawCellValue: true})
		b, errB := cf.GetRows(s, excelize.Options{RawCellValue: true})
		if errA != nil {
			continue // nothing the reader could read either
		}
		if errB != nil || !equalRows(a, b) {
			return refuseSheet(s)
		}
	}
	return nil
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// Buffer is an in-memory destination for AnnotateTo (the browser has no
// files): it is written, then read back for the check.
type Buffer struct{ b []byte }

func (b *Buffer) Write(p []byte) (int, error) { b.b = append(b.b, p...); return len(p), nil }

func (b *Buffer) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b.b)) {
		return 0, io.EOF
	}
	n := copy(p, b.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Bytes returns the copy.
func (b *Buffer) Bytes() []byte { return b.b }
