package report

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	kflate "github.com/klauspost/compress/flate"

	"ufa/ingest/model"
	"ufa/internal/xlsxscan"
)

// deflateLevel compresses the rewritten parts: klauspost's fastest level
// costs a third of level 5 on a 67 MB sheet and makes the copy about 10%
// larger than the original (measured in docs/bench.md).
const deflateLevel = 1

// sheetWork is a worksheet the annotation marks.
type sheetWork struct {
	s           annSheet
	marks       []*anMark
	rels        []anRel
	relsExist   bool
	comments    string // the sheet's own comments part, "" when none
	newComments string // the comments part made for it
	commentsRID string
	vmlRID      string
	newVML      string
	sp          *sheetPatcher
}

type annotation struct {
	p      *annPkg
	r      *model.Result
	ps     []placed
	cells  []string // per finding, the cell it is drawn on
	work   []*sheetWork
	byPart map[string]*sheetWork // lower-case part
	active string                // lower-case part of the sheet whose tab selection goes

	styles      *styleBook
	stylesPart  string
	stylesNew   bool
	stylesRID   string
	results     string // the 校验结果 sheet's name
	resultsPart string
	resultsRID  string
	sheetID     int
	taken       map[string]bool
	deferred    map[string]bool // parts written after the others (they depend on the streamed sheets)
	newCT       []ctEntry

	orig    *xlsxscan.Book // the original, for the check; nil when the fast path does not read it
	recheck []string       // sheets to compare through excelize once the copy is written
	seed    maphash.Seed
}

func (a *annotation) sheetName(part string) string {
	for _, s := range a.p.sheets {
		if anKey(s.part) == part {
			return s.name
		}
	}
	return part
}

// plan decides every name and id of the copy before anything is written.
func plan(p *annPkg, wb *model.Workbook, r *model.Result, ps []placed) (*annotation, error) {
	a := &annotation{p: p, r: r, ps: ps, byPart: map[string]*sheetWork{}, taken: map[string]bool{}, deferred: map[string]bool{}}
	notes := map[string]map[[2]int]*anMark{}
	a.cells = make([]string, len(ps))
	for i, f := range ps {
		s, row, col, ok := a.target(wb, f)
		if !ok {
			continue
		}
		k := [2]int{row, col}
		if notes[s.part] == nil {
			notes[s.part] = map[[2]int]*anMark{}
		}
		m := notes[s.part][k]
		if m == nil {
			m = &anMark{row: row, col: col, sev: model.Warning}
			notes[s.part][k] = m
		}
		if f.Severity == model.Error {
			m.sev = model.Error
		}
		line := severityName(f.Severity) + " " + f.Code + "：" + f.message
		if f.Row == 0 || f.Column == "" { // drawn on a stand-in cell: say what it stands for
			line = severityName(f.Severity) + " " + f.Code + "（" + f.place() + "）：" + f.message
		}
		m.lines = append(m.lines, line)
		a.cells[i] = m.ref()
	}
	for _, s := range p.sheets {
		ms := notes[s.part]
		if len(ms) == 0 {
			continue
		}
		w := &sheetWork{s: s}
		for _, m := range ms {
			w.marks = append(w.marks, m)
		}
		sortMarks(w.marks)
		var err error
		if w.rels, w.relsExist, err = p.rels(s.part); err != nil {
			return nil, err
		}
		ids := map[string]bool{}
		for _, rel := range w.rels {
			if strings.HasSuffix(rel.Type, "/comments") && rel.part != "" && p.file(rel.part) != nil {
				w.comments = p.file(rel.part).Name
				a.deferred[anKey(w.comments)] = true
			}
			if strings.HasSuffix(rel.Type, "/vmlDrawing") && rel.part != "" {
				a.deferred[anKey(rel.part)] = true
			}
		}
		dir := path.Dir(path.Dir(s.part)) // xl/
		if w.comments == "" {
			w.newComments = p.unusedPart(dir, "comments", ".xml", a.taken)
			w.commentsRID = anUnusedRelID(w.rels, ids)
			a.newCT = append(a.newCT, ctEntry{key: "/" + w.newComments, typ: ctComments, partLower: anKey(w.newComments)})
		}
		w.vmlRID = anUnusedRelID(w.rels, ids)
		w.newVML = p.unusedPart(path.Join(dir, "drawings"), "vmlDrawing", ".vml", a.taken)
		a.deferred[anKey(anRelsOf(s.part))] = true
		w.sp = &sheetPatcher{marks: w.marks, legacyRID: w.vmlRID}
		a.work = append(a.work, w)
		a.byPart[anKey(s.part)] = w
	}
	if len(a.work) > 0 {
		a.newCT = append(a.newCT, ctEntry{def: true, key: "vml", typ: ctVML})
	}
	// The tab selection goes from the sheet that was active (a chartsheet
	// keeps its own: its XML is not streamed).
	act := p.sheets[0]
	if p.active >= 0 && p.active < len(p.sheets) {
		act = p.sheets[p.active]
	}
	if act.part != "" && act.kind == "worksheet" {
		a.active = anKey(act.part)
	}
	if w := a.byPart[a.active]; w != nil {
		w.sp.clearTab = true
	}

	// styles
	relIDs := map[string]bool{}
	for _, rel := range p.wbRels {
		if strings.HasSuffix(rel.Type, "/styles") && rel.part != "" && p.file(rel.part) != nil && a.stylesPart == "" {
			a.stylesPart = p.file(rel.part).Name
		}
	}
	var stylesData []byte
	if a.stylesPart == "" {
		a.stylesNew = true
		// The conventional name: excelize and openpyxl look for it there
		// rather than follow the relationship.
		a.stylesPart = path.Join(path.Dir(p.workbook), "styles.xml")
		if p.keep[anKey(a.stylesPart)] {
			a.stylesPart = p.unusedPart(path.Dir(p.workbook), "styles", ".xml", a.taken)
		}
		a.taken[anKey(a.stylesPart)] = true
		a.stylesRID = anUnusedRelID(p.wbRels, relIDs)
		a.newCT = append(a.newCT, ctEntry{key: "/" + a.stylesPart, typ: ctStyles, partLower: anKey(a.stylesPart)})
	} else {
		var err error
		if stylesData, err = p.read(a.stylesPart); err != nil {
			return nil, err
		}
		a.deferred[anKey(a.stylesPart)] = true
	}
	var err error
	if a.styles, err = newStyleBook(stylesData); err != nil {
		return nil, err
	}
	for _, w := range a.work {
		w.sp.styleFor = a.styles.styleFor
	}

	// the results sheet
	a.results = ResultsSheet
	for i := 2; ; i++ {
		clash := false
		for _, s := range p.sheets {
			if strings.EqualFold(s.name, a.results) {
				clash = true
			}
		}
		if !clash {
			break
		}
		a.results = ResultsSheet + strconv.Itoa(i)
	}
	for _, t := range p.wbTags {
		if t.local == "sheet" && t.depth == 2 {
			if v, _ := t.attr("sheetId"); v != "" {
				n, _ := strconv.Atoi(v)
				a.sheetID = max(a.sheetID, n)
			}
		}
	}
	a.sheetID++
	a.resultsPart = p.unusedPart(path.Join(path.Dir(p.workbook), "worksheets"), "sheet", ".xml", a.taken)
	a.resultsRID = anUnusedRelID(p.wbRels, relIDs)
	a.newCT = append(a.newCT, ctEntry{key: "/" + a.resultsPart, typ: ctWorksheet, partLower: anKey(a.resultsPart)})
	return a, nil
}

func sortMarks(ms []*anMark) { sort.Slice(ms, func(i, j int) bool { return anLess(ms[i], ms[j]) }) }

func anLess(a, b *anMark) bool { return a.row < b.row || a.row == b.row && a.col < b.col }

// target returns where a finding is drawn, or ok=false when it is listed
// only: the file, a whole sheet, a sheet not in the workbook. A finding
// on a row (no column) is drawn on the row's first cell; a missing column
// on the header row's first cell.
func (a *annotation) target(wb *model.Workbook, p placed) (annSheet, int, int, bool) {
	if p.Sheet == "" {
		return annSheet{}, 0, 0, false
	}
	s, ok := a.p.sheet(p.Sheet)
	if !ok {
		return annSheet{}, 0, 0, false
	}
	row, col := p.Row, p.Column
	if row == 0 && col == "" && p.Code == "E_COLUMN_MISSING" && wb != nil {
		for _, t := range wb.Tables {
			if t != nil && t.Name == p.Sheet && t.HeaderRow > 0 {
				row = t.HeaderRow
			}
		}
	}
	if row <= 0 || row > 1048576 {
		return annSheet{}, 0, 0, false
	}
	if col == "" {
		col = "A"
	}
	c := anColNumber(col)
	if c == 0 {
		return annSheet{}, 0, 0, false
	}
	return s, row, c, true
}

// anRelTarget is the relationship target of part to, from part from.
func anRelTarget(from, to string) string {
	fd := strings.Split(path.Dir(from), "/")
	td := strings.Split(to, "/")
	i := 0
	for i < len(fd) && i < len(td)-1 && fd[i] == td[i] && fd[i] != "." {
		i++
	}
	var b strings.Builder
	for j := i; j < len(fd); j++ {
		if fd[j] != "." && fd[j] != "" {
			b.WriteString("../")
		}
	}
	b.WriteString(strings.Join(td[i:], "/"))
	return b.String()
}

// write writes the copy.
func (a *annotation) write(ctx context.Context, dst io.Writer) error {
	p := a.p
	zw := zip.NewWriter(dst)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return kflate.NewWriter(w, deflateLevel) })
	wbHeader := p.file(p.workbook).FileHeader
	header := func(name string) *zip.FileHeader {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, ModifiedTime: wbHeader.ModifiedTime, ModifiedDate: wbHeader.ModifiedDate}
		if f := p.file(name); f != nil {
			h.Name = f.Name
			h.ModifiedTime, h.ModifiedDate = f.ModifiedTime, f.ModifiedDate
		}
		return h
	}
	put := func(name string, b []byte) error {
		w, err := zw.CreateHeader(header(name))
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	wbRels := anKey(anRelsOf(p.workbook))
	for _, f := range p.zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := anKey(f.Name)
		if !p.keep[k] || a.deferred[k] || strings.HasSuffix(f.Name, "/") {
			continue
		}
		var err error
		switch {
		case k == anKey("[Content_Types].xml"):
			err = put(f.Name, anRenderContentTypes(p.ct, p.keep, p.workbook, a.newCT))
		case k == anKey(p.workbook):
			var b []byte
			if b, err = a.patchWorkbook(); err == nil {
				err = put(f.Name, b)
			}
		case k == wbRels:
			add := []anRel{{ID: a.resultsRID, Type: relWorksheet, Target: anRelTarget(p.workbook, a.resultsPart)}}
			if a.stylesNew {
				add = append(add, anRel{ID: a.stylesRID, Type: relStyles, Target: anRelTarget(p.workbook, a.stylesPart)})
			}
			var b, old []byte
			if old, err = p.read(f.Name); err == nil {
				if b, err = anPatchRels(old, p.dropRels, add); err == nil {
					err = put(f.Name, b)
				}
			}
		case a.byPart[k] != nil || k == a.active:
			err = a.streamSheet(ctx, zw, f, header(f.Name), a.sheetName(k))
		default:
			var w io.Writer
			h := f.FileHeader
			if w, err = zw.CreateRaw(&h); err == nil {
				var rc io.Reader
				if rc, err = f.OpenRaw(); err == nil {
					_, err = io.Copy(w, rc)
				}
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	if _, ok := p.files[wbRels]; !ok {
		return anUnsafef("no workbook relationships")
	}
	// The parts that depend on the streamed sheets.
	styles := a.styles.render()
	if styles == nil {
		return anUnsafef("styles")
	}
	if err := put(a.stylesPart, styles); err != nil {
		return err
	}
	block := 100
	for _, w := range a.work {
		var old []byte
		var err error
		if w.comments != "" {
			if old, err = p.read(w.comments); err != nil {
				return err
			}
		}
		name := w.comments
		if name == "" {
			name = w.newComments
		}
		cw, err := zw.CreateHeader(header(name))
		if err != nil {
			return err
		}
		fresh, err := writeComments(cw, old, w.marks)
		if err != nil {
			return err
		}
		var add []anRel
		if w.newComments != "" {
			add = append(add, anRel{ID: w.commentsRID, Type: relComments, Target: anRelTarget(w.s.part, w.newComments)})
		}
		usedVML := ""
		if w.sp.foundLegacy != "" {
			for _, rel := range w.rels {
				if rel.ID == w.sp.foundLegacy && rel.part != "" && p.file(rel.part) != nil {
					usedVML = p.file(rel.part).Name
				}
			}
			if usedVML == "" {
				return anUnsafef("legacy drawing without its part")
			}
			old, err := p.read(usedVML)
			if err != nil {
				return err
			}
			vw, err := zw.CreateHeader(header(usedVML))
			if err != nil {
				return err
			}
			if err := extendVML(vw, old, fresh, block); err != nil {
				return err
			}
		} else if w.sp.inserted {
			vw, err := zw.CreateHeader(header(w.newVML))
			if err != nil {
				return err
			}
			if err := writeVML(vw, w.marks, block); err != nil {
				return err
			}
			add = append(add, anRel{ID: w.vmlRID, Type: relVML, Target: anRelTarget(w.s.part, w.newVML)})
		}
		block += len(w.marks)/1024 + 1
		// the sheet's other drawings stay as they were
		for _, rel := range w.rels {
			if strings.HasSuffix(rel.Type, "/vmlDrawing") && rel.part != "" && p.file(rel.part) != nil && anKey(rel.part) != anKey(usedVML) && p.keep[anKey(rel.part)] {
				if err := a.raw(zw, p.file(rel.part)); err != nil {
					return err
				}
			}
		}
		var relsData []byte
		if w.relsExist {
			if relsData, err = p.read(anRelsOf(w.s.part)); err != nil {
				return err
			}
		}
		b, err := anPatchRels(relsData, nil, add)
		if err != nil {
			return err
		}
		if err := put(anRelsOf(w.s.part), b); err != nil {
			return err
		}
	}
	w, err := zw.CreateHeader(header(a.resultsPart))
	if err != nil {
		return err
	}
	if err := a.writeResults(w); err != nil {
		return err
	}
	return zw.Close()
}

func (a *annotation) raw(zw *zip.Writer, f *zip.File) error {
	h := f.FileHeader
	w, err := zw.CreateRaw(&h)
	if err != nil {
		return err
	}
	rc, err := f.OpenRaw()
	if err != nil {
		return err
	}
	_, err = io.Copy(w, rc)
	return err
}

// streamSheet streams a sheet from the original into the copy, patched,
// and checks as it goes that the patched XML holds the same cells: two
// scanners, one on the original's XML and one on the copy's, digest
// every stored value on goroutines of their own.
func (a *annotation) streamSheet(ctx context.Context, zw *zip.Writer, f *zip.File, h *zip.FileHeader, name string) error {
	sp := &sheetPatcher{clearTab: true}
	if w := a.byPart[anKey(f.Name)]; w != nil {
		sp = w.sp
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if a.orig == nil {
		a.recheck = append(a.recheck, name)
		return sp.run(ctx, rc, out)
	}
	type digest struct {
		sum uint64
		err error
	}
	scan := func(r *io.PipeReader, ch chan<- digest) {
		sum, err := sheetDigest(ctx, a.orig, a.seed, r)
		r.CloseWithError(err)
		ch <- digest{sum, err}
	}
	origR, origW := io.Pipe()
	copyR, copyW := io.Pipe()
	co, cc := make(chan digest, 1), make(chan digest, 1)
	go scan(origR, co)
	go scan(copyR, cc)
	err = sp.run(ctx, io.TeeReader(rc, origW), io.MultiWriter(out, copyW))
	origW.CloseWithError(err)
	copyW.CloseWithError(err)
	do, dc := <-co, <-cc
	switch {
	case err != nil:
		return err
	case do.err != nil && errors.Is(do.err, xlsxscan.ErrUnsupported):
		a.recheck = append(a.recheck, name) // compared through excelize once written
	case do.err != nil:
		return fmt.Errorf("核对标注副本: %w", do.err)
	case dc.err != nil || do.sum != dc.sum:
		return refuseSheet(name)
	}
	return nil
}

// patchWorkbook puts the 校验结果 sheet first and active; sheet-scoped
// names follow their sheets, which all move one place on.
func (a *annotation) patchWorkbook() ([]byte, error) {
	p := a.p
	data := p.wbData
	root := p.wbTags[0]
	el := func(l string) string { return anQn(root.prefix, l) }
	ridAttr := ""
	if pf, ok := nsPrefix(root, relNS); ok && pf != "" {
		ridAttr = pf + `:id="` + a.resultsRID + `"`
	} else {
		ridAttr = `xmlns:ufa_r="` + relNS + `" ufa_r:id="` + a.resultsRID + `"`
	}
	quoted := "'" + strings.ReplaceAll(a.results, "'", "''") + "'"
	names := fmt.Sprintf(`<%s name="_xlnm.Print_Titles" localSheetId="0">%s!$1:$2</%s>`, el("definedName"), anEsc(quoted), el("definedName"))
	if len(a.ps) > 0 {
		names = fmt.Sprintf(`<%s name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">%s!$A$2:$H$%d</%s>`, el("definedName"), anEsc(quoted), len(a.ps)+2, el("definedName")) + names
	}
	var edits []anEdit
	var sheets, definedNames *anTag
	afterSheets := -1
	for i, t := range p.wbTags {
		switch {
		case t.depth == 1 && t.local == "sheets":
			sheets = &p.wbTags[i]
			afterSheets = t.close
		case t.depth == 1 && (t.local == "functionGroups" || t.local == "externalReferences"):
			afterSheets = max(afterSheets, t.close)
		case t.depth == 1 && t.local == "definedNames":
			definedNames = &p.wbTags[i]
		case t.depth == 2 && t.local == "workbookView":
			tag := anDelAttr(anDelAttr(data[t.start:t.end], "activeTab"), "firstSheet")
			edits = append(edits, anEdit{start: t.start, end: t.end, repl: tag})
		case t.depth == 2 && t.local == "definedName":
			if v, ok := t.attr("localSheetId"); ok {
				n, err := strconv.Atoi(v)
				if err != nil {
					return nil, anUnsafef("localSheetId")
				}
				edits = append(edits, anEdit{start: t.start, end: t.end, repl: anSetAttr(data[t.start:t.end], "localSheetId", strconv.Itoa(n+1))})
			}
		}
	}
	if sheets == nil || sheets.selfClosing() {
		return nil, anUnsafef("no sheets")
	}
	sheet := fmt.Sprintf(`<%s name="%s" sheetId="%d" %s/>`, el("sheet"), anEscAttr(a.results), a.sheetID, ridAttr)
	edits = append(edits, anEdit{start: sheets.end, end: sheets.end, repl: []byte(sheet)})
	if definedNames != nil {
		edits = append(edits, anAppendChildren(data, *definedNames, []byte(names)))
	} else {
		edits = append(edits, anEdit{start: afterSheets, end: afterSheets, repl: []byte("<" + el("definedNames") + ">" + names + "</" + el("definedNames") + ">")})
	}
	return anApplyEdits(data, edits), nil
}

// writeResults writes the 校验结果 sheet: a summary line, a frozen bold
// header, one row per finding with a link to its cell.
func (a *annotation) writeResults(dst io.Writer) error {
	st := a.styles.results
	w := newAnnWriter(dst)
	n := len(a.ps)
	last := max(n+2, 3)
	w.s(xmlDecl + `<worksheet xmlns="` + mainNS + `" xmlns:r="` + relNS + `">`)
	w.s(`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`)
	w.s(`<dimension ref="A1:H` + strconv.Itoa(last) + `"/>`)
	w.s(`<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A3" sqref="A3"/></sheetView></sheetViews>`)
	w.s(`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	widths := []float64{6, 10, 28, 16, 10, 26, 26, 80}
	for i, wd := range widths {
		fmt.Fprintf(w, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, wd)
	}
	w.s(`</cols><sheetData>`)
	str := func(ref string, style int, v string) {
		fmt.Fprintf(w, `<c r="%s" s="%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, style, anEsc(v))
	}
	w.s(`<row r="1">`)
	str("A1", st.title, filepathBase(a.r.File)+"："+Verdict(a.r))
	w.s(`</row><row r="2">`)
	for i, h := range []string{"序号", "严重程度", "代码", "工作表", "单元格", "字段", "值", "说明"} {
		str(anColName(i+1)+"2", st.header, h)
	}
	w.s(`</row>`)
	if n == 0 {
		w.s(`<row r="3">`)
		str("A3", 0, "未发现问题。")
		w.s(`</row>`)
	}
	for i, p := range a.ps {
		row := strconv.Itoa(i + 3)
		ht := ""
		if lines := textWidth(p.message)/int(widths[7]-2) + 1; lines > 1 {
			ht = fmt.Sprintf(` ht="%g" customHeight="1"`, min(float64(15*lines), 409))
		}
		w.s(`<row r="` + row + `"` + ht + `>`)
		fmt.Fprintf(w, `<c r="A%s" s="%d"><v>%d</v></c>`, row, st.plain, i+1)
		sev := st.sevWarning
		if p.Severity == model.Error {
			sev = st.sevError
		}
		str("B"+row, sev, severityName(p.Severity))
		str("C"+row, st.plain, p.Code)
		sheet := p.Sheet
		if sheet == "" {
			sheet = "（整个文件）"
		}
		str("D"+row, st.plain, sheet)
		place, style := a.cells[i], st.link
		if place == "" {
			style = st.plain
			if p.Sheet != "" {
				place = strings.TrimPrefix(strings.TrimPrefix(p.place(), p.Sheet), "!")
			}
		}
		str("E"+row, style, place)
		str("F"+row, st.plain, p.fieldName)
		str("G"+row, st.plain, cellText(p.shown))
		str("H"+row, st.plain, cellText(p.message))
		w.s(`</row>`)
	}
	w.s(`</sheetData>`)
	if n > 0 {
		w.s(`<autoFilter ref="A2:H` + strconv.Itoa(n+2) + `"/>`)
	}
	links := false
	for i, p := range a.ps {
		if a.cells[i] == "" {
			continue
		}
		if !links {
			w.s(`<hyperlinks>`)
			links = true
		}
		s, _ := a.p.sheet(p.Sheet)
		target := "'" + strings.ReplaceAll(s.name, "'", "''") + "'!" + a.cells[i]
		fmt.Fprintf(w, `<hyperlink ref="E%d" location="%s" tooltip="%s" display="%s"/>`, i+3, anEscAttr(target), anEscAttr("转到 "+s.name+"!"+a.cells[i]), anEscAttr(a.cells[i]))
	}
	if links {
		w.s(`</hyperlinks>`)
	}
	w.s(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)
	w.s(`<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>`)
	w.s(`</worksheet>`)
	return w.flush()
}

// annWriter is a buffered writer that keeps its first error.
type annWriter struct {
	w   io.Writer
	buf bytes.Buffer
	err error
}

func newAnnWriter(w io.Writer) *annWriter { return &annWriter{w: w} }

func (e *annWriter) Write(b []byte) (int, error) {
	e.buf.Write(b)
	if e.buf.Len() > 256<<10 {
		e.flush()
	}
	return len(b), nil
}

func (e *annWriter) s(s string) { e.Write([]byte(s)) }

func (e *annWriter) flush() error {
	if e.err == nil && e.buf.Len() > 0 {
		_, e.err = e.w.Write(e.buf.Bytes())
	}
	e.buf.Reset()
	return e.err
}
