package xlsxscan

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"

	kflate "github.com/klauspost/compress/flate"
)

// Limits bound what Open and Rows accept, so that a hostile or broken
// package is refused quickly instead of exhausting memory or time. A zero
// field takes its default.
type Limits struct {
	MaxEntries  int   // parts in the zip (default 20,000; a real workbook has tens)
	MaxTotal    int64 // sum of the declared uncompressed sizes (default 512 MiB)
	MaxPart     int64 // a part read whole: workbook, relationships, shared strings (default 64 MiB)
	MaxSheet    int64 // one worksheet, streamed (default 512 MiB)
	MaxRowBytes int   // the XML of one row, which must fit the window (default 64 MiB)
	MaxSheets   int   // sheets the workbook lists (default 4,096)
}

func (l Limits) withDefaults() Limits {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt(&l.MaxEntries, 20000)
	def(&l.MaxTotal, 512<<20)
	def(&l.MaxPart, 64<<20)
	def(&l.MaxSheet, 512<<20)
	defInt(&l.MaxRowBytes, 64<<20)
	defInt(&l.MaxSheets, 4096)
	return l
}

// SheetInfo describes one sheet the workbook lists, in the workbook's
// order.
type SheetInfo struct {
	Name  string
	ID    string // sheetId
	State string // "visible", "hidden" or "veryHidden"
	Kind  string // "worksheet", "chartsheet", "dialogsheet", "macrosheet" (the relationship's type), "" if unknown
	Part  string // the part in the package; "" when the part is missing
}

// Book is an opened workbook. Its methods may be called from several
// goroutines at once.
type Book struct {
	lim      Limits
	parts    map[string]*zip.File // by normalised name (see partKey)
	sheets   []SheetInfo
	date1904 bool
	sstPart  string // "" when there is no shared-string table

	mu      sync.Mutex
	sst     *sharedStrings
	sstErr  error
	sstDone bool

	closer io.Closer
}

// Sheets returns the sheets the workbook lists, in its order.
func (b *Book) Sheets() []SheetInfo { return append([]SheetInfo(nil), b.sheets...) }

// Date1904 tells whether the workbook counts dates from 1904 (workbookPr
// date1904), as Mac Excel once did: serial 0 is then 1904-01-01.
func (b *Book) Date1904() bool { return b.date1904 }

// Close closes the file opened by OpenFile; for Open it does nothing.
func (b *Book) Close() error {
	if b.closer == nil {
		return nil
	}
	err := b.closer.Close()
	b.closer = nil
	return err
}

// OpenFile opens the workbook at path (see Open). Close the Book after
// use.
func OpenFile(ctx context.Context, path string, lim Limits) (*Book, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	b, err := Open(ctx, f, st.Size(), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	b.closer = f
	return b, nil
}

// Open reads the package structure of an xlsx file: the zip directory,
// the workbook part (found through _rels/.rels), its relationships, the
// sheet list and the date system. The shared-string table is read on the
// first call of Rows that needs it; worksheets are streamed by Rows.
func Open(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Book, error) {
	lim = lim.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: zip: %w", ErrMalformed, err)
	}
	// klauspost's inflater, a hardened fork of compress/flate, inflates
	// the sheets about twice as fast (BenchmarkInflateFloor*); it is set
	// on this reader only.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%w: %d parts, more than %d", ErrLimit, len(zr.File), lim.MaxEntries)
	}
	b := &Book{lim: lim, parts: make(map[string]*zip.File, len(zr.File))}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxTotal) {
			return nil, fmt.Errorf("%w: more than %d bytes uncompressed", ErrLimit, lim.MaxTotal)
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		k := partKey(f.Name)
		if _, dup := b.parts[k]; dup {
			return nil, malformedf("two parts named %s", f.Name)
		}
		b.parts[k] = f
	}
	if err := b.readWorkbook(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// partKey normalises a part name: OPC part names are case-insensitive;
// some writers use backslashes or a leading slash.
func partKey(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	return strings.ToLower(strings.TrimPrefix(name, "/"))
}

// readPart reads a whole part of at most MaxPart bytes.
func (b *Book) readPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > uint64(b.lim.MaxPart) {
		return nil, fmt.Errorf("%w: part %s is %d bytes, more than %d", ErrLimit, f.Name, f.UncompressedSize64, b.lim.MaxPart)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: part %s: %w", ErrMalformed, f.Name, err)
	}
	defer rc.Close()
	data := make([]byte, 0, f.UncompressedSize64)
	data, err = readAllLimited(rc, data, b.lim.MaxPart)
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", f.Name, err)
	}
	return data, nil
}

func readAllLimited(r io.Reader, dst []byte, max int64) ([]byte, error) {
	lr := io.LimitReader(r, max+1)
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := lr.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if int64(len(dst)) > max {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrLimit, max)
		}
		if errors.Is(err, io.EOF) {
			return dst, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
	}
}

// Relationship types are matched by their last path segment, which is
// the same in transitional (http://schemas.openxmlformats.org/
// officeDocument/2006/relationships/...) and Strict OOXML (http://
// purl.oclc.org/ooxml/officeDocument/relationships/...).
func relKind(typ string) string {
	return typ[strings.LastIndexByte(typ, '/')+1:]
}

type rel struct {
	id, kind, target string
	external         bool
}

// readRels reads a relationships part; a missing one is empty.
func (b *Book) readRels(name string) ([]rel, error) {
	f := b.parts[partKey(name)]
	if f == nil {
		return nil, nil
	}
	data, err := b.readPart(f)
	if err != nil {
		return nil, err
	}
	var out []rel
	err = walkXML(data, func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "Relationship" {
			return nil
		}
		var r rel
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.kind = relKind(a.Value)
			case "Target":
				r.target = a.Value
			case "TargetMode":
				r.external = a.Value == "External"
			}
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// walkXML calls fn for each start element of a small part decoded with
// encoding/xml (names keep their namespace URIs; matching is by local
// name). A DOCTYPE is refused: OOXML never uses one and it is how
// entity-expansion attacks arrive.
func walkXML(data []byte, fn func(*xml.Decoder, xml.StartElement) error) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	root := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if !root {
				return malformedf("no root element")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return unsupportedf("DOCTYPE or declaration")
		case xml.CharData:
			if !root && len(bytes.Trim(t, " \t\r\n\uFEFF")) > 0 {
				return malformedf("text before the root element")
			}
		case xml.StartElement:
			root = true
			if err := fn(d, t); err != nil {
				return err
			}
		}
	}
}

// resolve turns a relationship target into a part name: relative to the
// folder of the source part, or absolute from the package root (a leading
// slash); backslashes and percent-escapes are tolerated.
func resolve(source, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(path.Dir("/"+source), target)), "/")
}

// relsOf is the relationships part of a part: xl/workbook.xml ->
// xl/_rels/workbook.xml.rels.
func relsOf(part string) string {
	dir, file := path.Split(part)
	return dir + "_rels/" + file + ".rels"
}

// readWorkbook finds the workbook part and reads its sheets and date
// system.
func (b *Book) readWorkbook(ctx context.Context) error {
	rels, err := b.readRels("_rels/.rels")
	if err != nil {
		return err
	}
	wbPart := ""
	for _, r := range rels {
		if r.kind == "officeDocument" && !r.external {
			wbPart = resolve("", r.target)
			break
		}
	}
	if wbPart == "" || b.parts[partKey(wbPart)] == nil {
		// No package relationships (or a broken one): Excel's default
		// place. excelize reads nothing of such a package.
		wbPart = "xl/workbook.xml"
	}
	f := b.parts[partKey(wbPart)]
	if f == nil {
		return unsupportedf("no workbook part")
	}
	data, err := b.readPart(f)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	type sheet struct{ name, id, state, rid string }
	var (
		sheets   []sheet
		inSheets int
		root     bool
	)
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMalformed, wbPart, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return unsupportedf("DOCTYPE in %s", wbPart)
		case xml.EndElement:
			if t.Name.Local == "sheets" {
				inSheets--
			}
		case xml.StartElement:
			if !root {
				root = true
				if t.Name.Local != "workbook" {
					return unsupportedf("%s is a <%s>, not a workbook", wbPart, t.Name.Local)
				}
			}
			switch t.Name.Local {
			case "sheets":
				inSheets++
			case "sheet":
				if inSheets == 0 {
					continue
				}
				var s sheet
				for _, a := range t.Attr {
					switch {
					case a.Name.Local == "name" && a.Name.Space == "":
						s.name = a.Value
					case a.Name.Local == "sheetId" && a.Name.Space == "":
						s.id = a.Value
					case a.Name.Local == "state" && a.Name.Space == "":
						s.state = a.Value
					case a.Name.Local == "id" && a.Name.Space != "":
						// r:id, whatever the prefix (ns:id, strict
						// namespace).
						s.rid = a.Value
					}
				}
				if len(sheets) >= b.lim.MaxSheets {
					return fmt.Errorf("%w: more than %d sheets", ErrLimit, b.lim.MaxSheets)
				}
				sheets = append(sheets, s)
			case "workbookPr":
				for _, a := range t.Attr {
					if a.Name.Local == "date1904" && a.Name.Space == "" {
						// encoding/xml's bool, as excelize reads it.
						v, err := strconv.ParseBool(strings.TrimSpace(a.Value))
						if err != nil {
							return unsupportedf("date1904=%q", a.Value)
						}
						b.date1904 = v
					}
				}
			}
		}
	}
	if !root {
		return malformedf("%s has no root element", wbPart)
	}
	wrels, err := b.readRels(relsOf(wbPart))
	if err != nil {
		return err
	}
	byID := make(map[string]rel, len(wrels))
	for _, r := range wrels {
		if r.external {
			continue
		}
		if _, dup := byID[r.id]; !dup {
			byID[r.id] = r
		}
		if r.kind == "sharedStrings" && b.sstPart == "" {
			if p := resolve(wbPart, r.target); b.parts[partKey(p)] != nil {
				b.sstPart = p
			}
		}
	}
	if b.sstPart == "" && b.parts[partKey(path.Join(path.Dir(wbPart), "sharedStrings.xml"))] != nil {
		// A table without its relationship (excelize reads
		// xl/sharedStrings.xml whatever the relationships say).
		b.sstPart = path.Join(path.Dir(wbPart), "sharedStrings.xml")
	}
	b.sheets = make([]SheetInfo, len(sheets))
	for i, s := range sheets {
		info := SheetInfo{Name: s.name, ID: s.id, State: s.state}
		if info.State == "" {
			info.State = "visible"
		}
		if r, ok := byID[s.rid]; ok {
			info.Kind = r.kind
			if p := resolve(wbPart, r.target); b.parts[partKey(p)] != nil {
				info.Part = p
			}
		}
		b.sheets[i] = info
	}
	return nil
}

// sharedStrings loads the shared-string table once.
func (b *Book) sharedStrings() (*sharedStrings, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.sstDone {
		b.sstDone = true
		b.sst, b.sstErr = b.loadSharedStrings()
	}
	return b.sst, b.sstErr
}

func (b *Book) loadSharedStrings() (*sharedStrings, error) {
	if b.sstPart == "" {
		return &sharedStrings{offs: []uint32{0}}, nil
	}
	data, err := b.readPart(b.parts[partKey(b.sstPart)])
	if err != nil {
		return nil, err
	}
	t, err := parseSharedStrings(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.sstPart, err)
	}
	return t, nil
}

// sheet finds a sheet by name: exactly, else ignoring case as excelize
// does (when only one sheet matches that way).
func (b *Book) sheet(name string) (SheetInfo, error) {
	var (
		fold SheetInfo
		n    int
	)
	for _, s := range b.sheets {
		if s.Name == name {
			if s.Part == "" {
				return s, fmt.Errorf("%w: %q has no part in the package", ErrNoSheet, name)
			}
			return s, nil
		}
		if strings.EqualFold(s.Name, name) {
			fold, n = s, n+1
		}
	}
	switch {
	case n == 0:
		return SheetInfo{}, fmt.Errorf("%w: %q", ErrNoSheet, name)
	case n > 1:
		return SheetInfo{}, unsupportedf("several sheets named %q but for case", name)
	case fold.Part == "":
		return fold, fmt.Errorf("%w: %q has no part in the package", ErrNoSheet, name)
	}
	return fold, nil
}

// Sheets larger than readaheadMin are inflated in a goroutine of their
// own, readaheadChunks chunks of readaheadChunk bytes ahead of the scanner.
const (
	readaheadMin    = 2 << 20
	readaheadChunk  = 256 << 10
	readaheadChunks = 4
)

// Rows streams the rows of the named sheet, calling fn with the Excel
// row number (1-based) and the cells of each row that has at least one
// cell with a value or a formula. cells and their Values are reused after
// fn returns. fn may return ErrStop to end early (Rows then returns nil);
// any other error ends Rows with it. Rows checks ctx every 1,024 rows.
//
// A sheet the scanner does not understand gives ErrUnsupported (possibly
// after fn was called for earlier rows); ErrMalformed when it is not
// well-formed; ErrNoSheet when there is no such sheet.
func (b *Book) Rows(ctx context.Context, sheet string, fn func(row int, cells []Cell) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	info, err := b.sheet(sheet)
	if err != nil {
		return err
	}
	f := b.parts[partKey(info.Part)]
	if f.UncompressedSize64 > uint64(b.lim.MaxSheet) {
		return fmt.Errorf("%w: sheet %q is %d bytes, more than %d", ErrLimit, sheet, f.UncompressedSize64, b.lim.MaxSheet)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: sheet %q: %w", ErrMalformed, sheet, err)
	}
	defer rc.Close()
	var src io.Reader = rc
	if f.UncompressedSize64 > readaheadMin && runtime.GOMAXPROCS(0) > 1 {
		ra := newReadahead(rc, readaheadChunk, readaheadChunks)
		defer ra.Close() // before rc.Close
		src = ra
	}
	s := newScanner(src, f.UncompressedSize64, b.lim.MaxRowBytes, b.sharedStrings)
	if err := s.run(ctx, fn); err != nil {
		if errors.Is(err, ErrStop) {
			return nil
		}
		return fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return nil
}
