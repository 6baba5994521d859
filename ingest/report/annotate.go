package report

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ufa/ingest/model"
	"ufa/internal/atomicfile"
	"ufa/internal/spec"
	"ufa/internal/xlsxscan"
)

// This file writes the annotated copy of a city's workbook (cli.md
// `validate --annotate`): the city's own file, every finding's cell filled
// red (error) or yellow (warning) with the message as a comment, and a
// first sheet 校验结果 listing every finding with a link to its cell. Only
// styles, comments and the new sheet change: every value stays as it was.

// ResultsSheet is the name of the sheet listing the findings.
const ResultsSheet = "校验结果"

// Fill colours of annotated cells (RGB): a clear red and yellow that keep
// black text readable on screen and on a grey-scale printout.
const (
	ErrorFill   = "FF9999"
	WarningFill = "FFFF66"
)

// CommentAuthor is the author of the comments the annotation adds.
const CommentAuthor = "ufa"

// ErrNotAnnotatable is returned for a workbook that could not be read
// (E_FILE): there is nothing to copy.
var ErrNotAnnotatable = errors.New("无法读取的工作簿不能生成标注副本")

// Sink is where AnnotateTo writes the copy: it is read back to check the
// copy before the caller may hand it on (*os.File and *Buffer are Sinks).
type Sink interface {
	io.Writer
	io.ReaderAt
}

// Annotate writes to out an annotated copy of the workbook r was made
// from. out must not be the original. It writes to a temporary file
// beside out (mode 0644) and renames it, so a failure leaves no
// half-written copy.
func Annotate(ctx context.Context, book *spec.Book, r *model.Result, out string) error {
	if err := annotatable(r); err != nil {
		return err
	}
	if same(r.File, out) {
		return fmt.Errorf("标注副本 %s 与原文件相同：请另选文件名，原文件不会被改写", out)
	}
	src, err := os.Open(r.File)
	if err != nil {
		return fmt.Errorf("打开 %s: %w", r.File, err)
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return fmt.Errorf("打开 %s: %w", r.File, err)
	}
	err = atomicfile.WriteWith(out, atomicfile.Options{}, func(dst *os.File) error { return AnnotateTo(ctx, book, r, src, st.Size(), dst) })
	if ae := (*atomicfile.Error)(nil); errors.As(err, &ae) {
		if ae.Op == atomicfile.OpRename {
			return fmt.Errorf("写标注副本 %s（若该文件已在 Excel/WPS 中打开，请先关闭）: %w", out, ae.Err)
		}
		if ae.Op == atomicfile.OpCreate {
			return fmt.Errorf("写标注副本 %s: %w", out, ae.Err)
		}
		err = ae.Err
	}
	if err != nil {
		return fmt.Errorf("标注 %s: %w", r.File, err)
	}
	return nil
}

func annotatable(r *model.Result) error {
	if r.Workbook == nil {
		return fmt.Errorf("%s: %w", r.File, ErrNotAnnotatable)
	}
	for _, f := range r.Findings {
		if f.Code == "E_FILE" {
			return fmt.Errorf("%s: %w", r.File, ErrNotAnnotatable)
		}
	}
	return nil
}

// AnnotateTo writes the annotated copy of the workbook in src (size
// bytes; r is its validation result) to dst and checks it against the
// original. The copy is the original's package streamed part by part:
// the parts the annotation does not touch are copied compressed as they
// are, the marked sheets are streamed and patched cell by cell, and only
// the style part, the comments and the new 校验结果 sheet are written
// anew, so memory and time grow with the findings, not the workbook. No
// file system, no cgo: the browser page calls it too.
func AnnotateTo(ctx context.Context, book *spec.Book, r *model.Result, src io.ReaderAt, size int64, dst Sink) (err error) {
	if err := annotatable(r); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = refuseUnsafe(fmt.Errorf("%v", p))
		}
	}()
	p, err := openPkg(src, size)
	if err != nil {
		return unsafeOr(err)
	}
	a, err := plan(p, r.Workbook, r, arrange(book, r))
	if err != nil {
		return unsafeOr(err)
	}
	if ob, err := xlsxscan.Open(ctx, src, size, verifyLimits); err == nil {
		a.orig, a.seed = ob, maphash.MakeSeed()
	} else if !errors.Is(err, xlsxscan.ErrUnsupported) {
		return fmt.Errorf("核对标注副本: %w", err)
	}
	cw := &countWriter{w: dst}
	if err := a.write(ctx, cw); err != nil {
		return unsafeOr(err)
	}
	return verifyCopy(ctx, a, src, size, dst, cw.n)
}

func unsafeOr(err error) error {
	if errors.Is(err, errUnsafe) {
		return refuseUnsafe(err)
	}
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// same tells whether two paths name one file (or one path, if neither
// exists yet).
func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}

// maxComment keeps a comment under Excel's limit of 32,512 characters.
const maxComment = 30000

// cellText makes text fit for a cell or comment: control characters
// (which a cell can carry as _x0007_ escapes) are dropped, line breaks
// kept, and the text cut to Excel's 32,767 characters per cell.
func cellText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 32000 {
		s = string(r[:32000]) + "…"
	}
	return s
}

// textWidth is the width of s in Excel's character units: a Chinese
// character counts two.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		if r > 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// filepathBase is the file's name without its folders.
func filepathBase(p string) string { return filepath.Base(p) }
