package report

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	kflate "github.com/klauspost/compress/flate"
)

// The package side of the annotated copy: which parts of the original
// are kept, and the small parts that change (content types, workbook,
// its relationships). See docs/decisions.md, "The annotated copy is
// streamed".

const (
	relNS         = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relWorksheet  = relNS + "/worksheet"
	relStyles     = relNS + "/styles"
	relComments   = relNS + "/comments"
	relVML        = relNS + "/vmlDrawing"
	mainNS        = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	ctWorksheet   = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctStyles      = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	ctComments    = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
	ctVML         = "application/vnd.openxmlformats-officedocument.vmlDrawing"
	ctWorkbook    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	xmlDecl       = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	maxSmallPart  = 64 << 20 // a part read whole (workbook, styles, comments, relationships)
	maxEntries    = 20000
	maxTotalBytes = 2 << 30 // declared uncompressed size of the whole package
)

type anRel struct {
	ID, Type, Target, Mode string
	part                   string // the resolved part name; "" when external or missing
}

type annSheet struct {
	name, rid, part, kind string
	index                 int // position in the workbook (0-based)
}

// annPkg is the original package as the annotation sees it.
type annPkg struct {
	zr       *zip.Reader
	files    map[string]*zip.File // by lower-case name
	keep     map[string]bool      // lower-case names of the parts the copy keeps
	ct       []ctEntry
	workbook string // the workbook part's name
	wbData   []byte
	wbTags   []anTag
	wbRels   []anRel
	sheets   []annSheet
	active   int             // the workbook's active tab
	dropRels map[string]bool // ids of workbook relationships dropped (macros)
}

type ctEntry struct {
	def       bool   // Default (by extension) or Override (by part)
	key, typ  string // extension or part name ("/xl/…")
	partLower string
}

func anKey(name string) string { return strings.ToLower(strings.TrimPrefix(name, "/")) }

func (p *annPkg) file(name string) *zip.File { return p.files[anKey(name)] }

func (p *annPkg) read(name string) ([]byte, error) {
	f := p.file(name)
	if f == nil {
		return nil, fmt.Errorf("%s: missing", name)
	}
	if f.UncompressedSize64 > maxSmallPart {
		return nil, anUnsafef(name + " too large")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxSmallPart+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxSmallPart {
		return nil, anUnsafef(name + " too large")
	}
	return b, nil
}

// anRelsOf names the relationship part of a part ("" for the package).
func anRelsOf(part string) string {
	if part == "" {
		return "_rels/.rels"
	}
	d, b := path.Split(part)
	return d + "_rels/" + b + ".rels"
}

// anResolve turns a relationship target into a part name.
func anResolve(source, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	p := path.Join(path.Dir(source), target)
	return strings.TrimPrefix(p, "/")
}

func (p *annPkg) rels(part string) ([]anRel, bool, error) {
	name := anRelsOf(part)
	if p.file(name) == nil {
		return nil, false, nil
	}
	b, err := p.read(name)
	if err != nil {
		return nil, true, err
	}
	var doc struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, true, anUnsafef(name + ": " + err.Error())
	}
	out := make([]anRel, 0, len(doc.Rel))
	for _, r := range doc.Rel {
		rel := anRel{ID: r.ID, Type: r.Type, Target: r.Target, Mode: r.Mode}
		if !strings.EqualFold(r.Mode, "External") {
			rel.part = anResolve(part, r.Target)
		}
		out = append(out, rel)
	}
	return out, true, nil
}

// openPkg reads the structure of the original: its zip directory, its
// content types, the parts reachable through relationships (the only
// ones the copy keeps) and the workbook's sheets.
func openPkg(src io.ReaderAt, size int64) (*annPkg, error) {
	zr, err := zip.NewReader(src, size)
	if err != nil {
		return nil, anUnsafef("zip: " + err.Error())
	}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	if len(zr.File) > maxEntries {
		return nil, anUnsafef("too many parts")
	}
	p := &annPkg{zr: zr, files: map[string]*zip.File{}, keep: map[string]bool{}, dropRels: map[string]bool{}}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		k := anKey(f.Name)
		if _, dup := p.files[k]; dup {
			return nil, anUnsafef("two parts named " + f.Name)
		}
		p.files[k] = f
	}
	if total > maxTotalBytes {
		return nil, anUnsafef("package too large")
	}
	ctData, err := p.read("[Content_Types].xml")
	if err != nil {
		return nil, anUnsafef("no content types")
	}
	if p.ct, err = anParseContentTypes(ctData); err != nil {
		return nil, err
	}
	root, ok, err := p.rels("")
	if err != nil || !ok {
		return nil, anUnsafef("no package relationships")
	}
	for _, r := range root {
		if strings.HasSuffix(r.Type, "/officeDocument") && r.part != "" && p.file(r.part) != nil {
			if strings.Contains(r.Type, "purl.oclc.org") {
				return nil, anUnsafef("strict OOXML")
			}
			p.workbook = p.file(r.part).Name
		}
	}
	if p.workbook == "" {
		return nil, anUnsafef("no workbook part")
	}
	if err := p.reach(root); err != nil {
		return nil, err
	}
	if err := p.readWorkbook(); err != nil {
		return nil, err
	}
	return p, nil
}

// reach marks every part reachable from the package relationships (and
// their relationship parts) as kept. Macros are not followed: the copy
// is an .xlsx and carries no code.
func (p *annPkg) reach(root []anRel) error {
	p.keep[anKey("[Content_Types].xml")] = true
	p.keep[anKey(anRelsOf(""))] = true
	queue := []anRel{}
	queue = append(queue, root...)
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		if r.part == "" || anIsMacroRel(r.Type) {
			continue
		}
		f := p.file(r.part)
		if f == nil || p.keep[anKey(r.part)] {
			continue
		}
		p.keep[anKey(r.part)] = true
		rs, ok, err := p.rels(f.Name)
		if err != nil {
			return err
		}
		if ok {
			p.keep[anKey(anRelsOf(f.Name))] = true
			queue = append(queue, rs...)
		}
	}
	return nil
}

func anIsMacroRel(typ string) bool {
	return strings.HasSuffix(typ, "/vbaProject") || strings.HasSuffix(typ, "/vbaProjectSignature") ||
		strings.HasSuffix(typ, "/vbaProjectSignatureAgile") || strings.HasSuffix(typ, "/vbaProjectSignatureV3")
}

func (p *annPkg) readWorkbook() error {
	var err error
	if p.wbData, err = p.read(p.workbook); err != nil {
		return err
	}
	if bytes.Contains(p.wbData, []byte("http://purl.oclc.org/ooxml/spreadsheetml/main")) {
		return anUnsafef("strict OOXML")
	}
	if p.wbTags, err = anScanTags(p.wbData); err != nil {
		return err
	}
	rs, _, err := p.rels(p.workbook)
	if err != nil {
		return err
	}
	p.wbRels = rs
	byID := map[string]anRel{}
	for _, r := range rs {
		byID[r.ID] = r
		if anIsMacroRel(r.Type) {
			p.dropRels[r.ID] = true
		}
	}
	for _, t := range p.wbTags {
		switch {
		case t.local == "workbookView" && t.depth == 2:
			if v, ok := t.attr("activeTab"); ok {
				p.active, _ = strconv.Atoi(v)
			}
		case t.local == "sheet" && t.depth == 2:
			s := annSheet{index: len(p.sheets)}
			s.name, _ = t.attr("name")
			for _, a := range t.attrs {
				if a.Name.Local == "id" && a.Name.Space != "" {
					s.rid = a.Value
				}
			}
			if r, ok := byID[s.rid]; ok && r.part != "" && p.file(r.part) != nil {
				s.part = p.file(r.part).Name
				s.kind = r.Type[strings.LastIndex(r.Type, "/")+1:]
			}
			p.sheets = append(p.sheets, s)
		}
	}
	if len(p.sheets) == 0 {
		return anUnsafef("no sheets")
	}
	return nil
}

// sheet finds a worksheet by name: exactly, else ignoring case as Excel
// does.
func (p *annPkg) sheet(name string) (annSheet, bool) {
	for _, s := range p.sheets {
		if s.name == name {
			return s, s.kind == "worksheet"
		}
	}
	for _, s := range p.sheets {
		if strings.EqualFold(s.name, name) {
			return s, s.kind == "worksheet"
		}
	}
	return annSheet{}, false
}

// unusedPart returns dir/prefixN.ext for the smallest N ≥ 1 not taken.
func (p *annPkg) unusedPart(dir, prefix, ext string, taken map[string]bool) string {
	for i := 1; ; i++ {
		n := path.Join(dir, prefix+strconv.Itoa(i)+ext)
		if p.files[anKey(n)] == nil && !taken[anKey(n)] {
			taken[anKey(n)] = true
			return n
		}
	}
}

// anUnusedRelID returns rIdN not among the ids.
func anUnusedRelID(rs []anRel, taken map[string]bool) string {
	used := map[string]bool{}
	for _, r := range rs {
		used[r.ID] = true
	}
	for i := len(rs) + 1; ; i++ {
		id := "rId" + strconv.Itoa(i)
		if !used[id] && !taken[id] {
			taken[id] = true
			return id
		}
	}
}

func anParseContentTypes(b []byte) ([]ctEntry, error) {
	var doc struct {
		Items []struct {
			XMLName xml.Name
			Ext     string `xml:"Extension,attr"`
			Part    string `xml:"PartName,attr"`
			Type    string `xml:"ContentType,attr"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, anUnsafef("content types: " + err.Error())
	}
	var out []ctEntry
	for _, it := range doc.Items {
		switch it.XMLName.Local {
		case "Default":
			out = append(out, ctEntry{def: true, key: it.Ext, typ: it.Type})
		case "Override":
			out = append(out, ctEntry{key: it.Part, typ: it.Type, partLower: anKey(it.Part)})
		}
	}
	return out, nil
}

// anRenderContentTypes writes the content types of the copy: the
// original's for the parts kept (a macro-enabled workbook becomes a plain
// one), then the new parts'.
func anRenderContentTypes(entries []ctEntry, keep map[string]bool, workbook string, add []ctEntry) []byte {
	var b bytes.Buffer
	b.WriteString(xmlDecl)
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	hasDef := map[string]bool{}
	for _, e := range entries {
		if e.def {
			hasDef[strings.ToLower(e.key)] = true
		}
	}
	for _, e := range append(append([]ctEntry{}, entries...), add...) {
		if e.def {
			if e.typ == "" || (hasDef[strings.ToLower(e.key)] && anIsAdded(e, add)) {
				continue
			}
			fmt.Fprintf(&b, `<Default Extension="%s" ContentType="%s"/>`, anEscAttr(e.key), anEscAttr(e.typ))
			continue
		}
		if !anIsAdded(e, add) && !keep[e.partLower] {
			continue // a part the copy leaves out
		}
		typ := e.typ
		if e.partLower == anKey(workbook) && strings.Contains(typ, "macroEnabled") || e.partLower == anKey(workbook) && strings.Contains(typ, ".template.") {
			typ = ctWorkbook
		}
		fmt.Fprintf(&b, `<Override PartName="%s" ContentType="%s"/>`, anEscAttr(e.key), anEscAttr(typ))
	}
	b.WriteString(`</Types>`)
	return b.Bytes()
}

func anIsAdded(e ctEntry, add []ctEntry) bool {
	for _, a := range add {
		if a == e {
			return true
		}
	}
	return false
}

// anEdit replaces data[start:end] with repl (or what gen writes).
type anEdit struct {
	start, end int
	repl       []byte
	gen        func(*bufio.Writer)
}

func anSortEdits(edits []anEdit) {
	// by position; at one position, insertions before a replacement
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i], edits[j]
		if a.start != b.start {
			return a.start < b.start
		}
		return a.end == a.start && b.end != b.start
	})
}

func anApplyEdits(data []byte, edits []anEdit) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	anWriteEdits(w, data, edits)
	w.Flush()
	return b.Bytes()
}

func anWriteEdits(w *bufio.Writer, data []byte, edits []anEdit) {
	anSortEdits(edits)
	last := 0
	for _, e := range edits {
		w.Write(data[last:e.start])
		if e.gen != nil {
			e.gen(w)
		} else {
			w.Write(e.repl)
		}
		last = e.end
	}
	w.Write(data[last:])
}

// anCloseStart is where the end tag of t begins (t not self-closing).
func anCloseStart(data []byte, t anTag) int {
	return bytes.LastIndex(data[:t.close], []byte("</"))
}

// anAppendChildren returns the edit that adds children at the end of t's
// content (turning <x/> into <x>…</x>).
func anAppendChildren(data []byte, t anTag, children []byte) anEdit {
	if t.selfClosing() {
		open := bytes.TrimRight(data[t.start:t.end-2], " \t\r\n")
		return anEdit{start: t.start, end: t.close, repl: anConcat(open, []byte(">"), children, []byte("</"+anQn(t.prefix, t.local)+">"))}
	}
	at := anCloseStart(data, t)
	return anEdit{start: at, end: at, repl: children}
}

// anPatchRels adds relationships to a relationship part (or makes one) and
// drops those of drop.
func anPatchRels(data []byte, drop map[string]bool, add []anRel) ([]byte, error) {
	var adds bytes.Buffer
	for _, r := range add {
		fmt.Fprintf(&adds, `<Relationship Id="%s" Type="%s" Target="%s"/>`, anEscAttr(r.ID), anEscAttr(r.Type), anEscAttr(r.Target))
	}
	if data == nil {
		return []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + adds.String() + `</Relationships>`), nil
	}
	tags, err := anScanTags(data)
	if err != nil {
		return nil, err
	}
	if pf := tags[0].prefix; pf != "" && adds.Len() > 0 {
		adds = *bytes.NewBuffer(bytes.ReplaceAll(adds.Bytes(), []byte("<Relationship "), []byte("<"+pf+":Relationship ")))
	}
	var edits []anEdit
	for _, t := range tags {
		if t.depth == 1 && t.local == "Relationship" {
			if id, _ := t.attr("Id"); drop[id] {
				edits = append(edits, anEdit{start: t.start, end: t.close})
			}
		}
	}
	if adds.Len() > 0 {
		edits = append(edits, anAppendChildren(data, tags[0], adds.Bytes()))
	}
	return anApplyEdits(data, edits), nil
}
