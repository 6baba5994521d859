package benchfloor

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
)

// Stats is what Scan went through.
type Stats struct {
	Parts   int   // worksheet parts and shared-string parts inflated
	Bytes   int64 // inflated bytes
	Cells   int64 // <c> elements in the worksheets
	Strings int64 // <si> elements in the shared strings
}

// Add sums the stats of several files.
func (s *Stats) Add(o Stats) {
	s.Parts += o.Parts
	s.Bytes += o.Bytes
	s.Cells += o.Cells
	s.Strings += o.Strings
}

// chunk is the read size: large enough that the per-read cost vanishes,
// small enough to stay in the CPU's cache.
const chunk = 256 << 10

// Scan inflates the worksheet and shared-string parts of the workbook at
// path and counts their cells and strings.
func Scan(ctx context.Context, p string) (Stats, error) {
	var st Stats
	zr, err := zip.OpenReader(p)
	if err != nil {
		return st, fmt.Errorf("benchfloor: %s: %w", p, err)
	}
	defer zr.Close()
	buf := make([]byte, chunk+2)
	for _, f := range zr.File {
		var tag []byte
		switch {
		case isWorksheet(f.Name):
			tag = []byte("<c")
		case strings.EqualFold(f.Name, "xl/sharedStrings.xml"):
			tag = []byte("<si")
		default:
			continue
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		rc, err := f.Open()
		if err != nil {
			return st, fmt.Errorf("benchfloor: %s: %s: %w", p, f.Name, err)
		}
		n, bytesRead, err := count(rc, tag, buf)
		rc.Close()
		if err != nil {
			return st, fmt.Errorf("benchfloor: %s: %s: %w", p, f.Name, err)
		}
		st.Parts++
		st.Bytes += bytesRead
		if tag[1] == 'c' {
			st.Cells += n
		} else {
			st.Strings += n
		}
	}
	return st, nil
}

func isWorksheet(name string) bool {
	dir, file := path.Split(name)
	return strings.EqualFold(dir, "xl/worksheets/") && strings.HasSuffix(strings.ToLower(file), ".xml")
}

// count counts the start tags tag (followed by a space, '>' or '/', so
// that "<c" does not count <cols> or <col>) in what r yields. A tag split
// across two reads is found because the last len(tag) bytes of a read,
// where no match can have been counted yet, are carried to the next one.
func count(r io.Reader, tag, buf []byte) (n, total int64, err error) {
	keep := 0
	for {
		m, rerr := r.Read(buf[keep:])
		total += int64(m)
		data := buf[:keep+m]
		for i := 0; ; {
			j := bytes.Index(data[i:], tag)
			if j < 0 {
				break
			}
			k := i + j + len(tag)
			if k >= len(data) {
				break // the byte after the tag is in the next read
			}
			if c := data[k]; c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r' {
				n++
			}
			i = k
		}
		keep = min(len(tag), len(data))
		copy(buf, data[len(data)-keep:])
		if rerr == io.EOF {
			return n, total, nil
		}
		if rerr != nil {
			return n, total, rerr
		}
	}
}
