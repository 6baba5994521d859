package benchfloor

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"ufa/internal/testing/testbook"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		tag  string
		want int64
	}{
		{"cells", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/><c><v>1</v></c></row>`, "<c", 3},
		{"columns are not cells", `<cols><col min="1" max="2"/></cols><sheetData><row><c r="A1"/></row></sheetData>`, "<c", 1},
		{"tag at the very end is not a cell", `<row><c r="A1"/></row><c`, "<c", 1},
		{"whitespace after the tag", "<c\nr=\"A1\"/><c\tr=\"B1\"/><c\r/>", "<c", 3},
		{"strings", `<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>`, "<si", 2},
		{"nothing", `<worksheet/>`, "<c", 0},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 2, 3, 7, chunk} {
			buf := make([]byte, size+len(tt.tag))
			// One byte per read splits every tag across reads.
			for _, r := range []io.Reader{strings.NewReader(tt.xml), iotest.OneByteReader(strings.NewReader(tt.xml))} {
				n, total, err := count(r, []byte(tt.tag), buf)
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				if n != tt.want || total != int64(len(tt.xml)) {
					t.Errorf("%s (buffer %d): %d tags in %d bytes, want %d in %d", tt.name, size, n, total, tt.want, len(tt.xml))
				}
			}
		}
	}
}

func TestCountError(t *testing.T) {
	_, _, err := count(iotest.ErrReader(io.ErrUnexpectedEOF), []byte("<c"), make([]byte, 16))
	if err != io.ErrUnexpectedEOF {
		t.Fatalf("error %v, want %v", err, io.ErrUnexpectedEOF)
	}
}

// TestScan compares Scan with a full XML decoding of the same parts, on a
// workbook written by excelize (shared strings, several sheets).
func TestScan(t *testing.T) {
	p, err := testbook.Valid().WriteIn(t.TempDir(), testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Scan(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var want Stats
	for _, f := range zr.File {
		var local string
		switch {
		case isWorksheet(f.Name):
			local = "c"
		case f.Name == "xl/sharedStrings.xml":
			local = "si"
		default:
			continue
		}
		want.Parts++
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		n := decodeCount(t, rc, local)
		rc.Close()
		if local == "c" {
			want.Cells += n
		} else {
			want.Strings += n
		}
		want.Bytes += int64(f.UncompressedSize64)
	}
	if st != want || st.Cells == 0 || st.Strings == 0 {
		t.Fatalf("Scan %+v, XML decoding %+v", st, want)
	}
}

func decodeCount(t *testing.T, r io.Reader, local string) int64 {
	t.Helper()
	d := xml.NewDecoder(r)
	var n int64
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			n++
		}
	}
}

func TestScanRefuses(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.xlsx")
	if err := os.WriteFile(junk, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{junk, filepath.Join(dir, "missing.xlsx")} {
		if _, err := Scan(context.Background(), p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want one naming the file", p, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, err := testbook.Valid().WriteIn(dir, testbook.FileName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(ctx, p); err != context.Canceled {
		t.Errorf("cancelled: error %v", err)
	}
}
