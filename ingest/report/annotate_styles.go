package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"ufa/ingest/model"
)

// The styles of the annotated copy: the original's style part with fills
// and fonts added at the ends of their lists, a clone of each marked
// cell's cell format that differs only by its fill (so number format,
// font, borders, alignment and protection stay), and the formats of the
// 校验结果 sheet. Nothing existing is renumbered.

// styleBook builds the copy's style part.
type styleBook struct {
	data   []byte // the original part (a minimal one when there is none)
	tags   []anTag
	prefix string
	lists  map[string]anTag // top-level lists by name
	xfs    [][2]int         // cellXfs children: start and close in data
	counts map[string]int   // children of fonts, fills, borders

	clones   [][2]int // (original format, severity) per clone, in order
	cloneIdx map[[2]int]int
	results  resultStyles
}

// resultStyles are the cell formats of the 校验结果 sheet.
type resultStyles struct{ title, header, plain, link, sevError, sevWarning int }

const minimalStyles = xmlDecl + `<styleSheet xmlns="` + mainNS + `"></styleSheet>`

// styleOrder is the schema order of the style part's top-level lists.
var styleOrder = []string{"numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"}

func newStyleBook(data []byte) (*styleBook, error) {
	if data == nil {
		data = []byte(minimalStyles)
	}
	tags, err := anScanTags(data)
	if err != nil {
		return nil, err
	}
	if tags[0].local != "styleSheet" {
		return nil, anUnsafef("styles root")
	}
	s := &styleBook{data: data, tags: tags, prefix: tags[0].prefix, lists: map[string]anTag{}, counts: map[string]int{}, cloneIdx: map[[2]int]int{}}
	var parent string
	for _, t := range tags {
		if t.depth == 1 {
			parent = t.local
			if _, dup := s.lists[t.local]; !dup {
				s.lists[t.local] = t
			}
			continue
		}
		if t.depth != 2 {
			continue
		}
		switch parent {
		case "cellXfs":
			s.xfs = append(s.xfs, [2]int{t.start, t.close})
		case "fonts", "fills", "borders":
			s.counts[parent]++
		}
	}
	return s, nil
}

// styleFor returns the format a marked cell gets: a clone of its own with
// the severity's fill.
func (s *styleBook) styleFor(orig int, sev model.Severity) int {
	if orig < 0 || orig >= max(len(s.xfs), 1) {
		orig = 0
	}
	k := [2]int{orig, 0}
	if sev == model.Warning {
		k[1] = 1
	}
	if i, ok := s.cloneIdx[k]; ok {
		return i
	}
	i := max(len(s.xfs), 1) + len(s.clones)
	s.cloneIdx[k] = i
	s.clones = append(s.clones, k)
	return i
}

var fontNameRe = regexp.MustCompile(`<(?:\w+:)?name\s+val\s*=\s*"([^"]*)"`)

// render writes the new style part. It must be called after every
// styleFor.
func (s *styleBook) render() []byte {
	p := s.prefix
	el := func(local string) string { return anQn(p, local) }
	var edits []anEdit
	inserted := map[string][]byte{} // missing lists, by the list they go before
	// extend adds children to a list, making the list when it is missing.
	extend := func(list string, existing int, defaults, children string) int {
		t, ok := s.lists[list]
		if !ok {
			content := defaults + children
			n := bytes.Count([]byte(content), []byte("<"+el(list[:len(list)-1])))
			if list == "cellXfs" || list == "cellStyleXfs" {
				n = bytes.Count([]byte(content), []byte("<"+el("xf")))
			}
			x := fmt.Sprintf(`<%s count="%d">%s</%s>`, el(list), n, content, el(list))
			at := ""
			for i, name := range styleOrder {
				if name == list {
					for _, next := range styleOrder[i+1:] {
						if _, ok := s.lists[next]; ok {
							at = next
							break
						}
					}
				}
			}
			inserted[at] = append(inserted[at], x...)
			return 0
		}
		total := existing + bytes.Count([]byte(children), []byte("<"+el(list[:len(list)-1])))
		if list == "cellXfs" || list == "cellStyleXfs" {
			total = existing + bytes.Count([]byte(children), []byte("<"+el("xf")))
		}
		open := anSetAttr(s.data[t.start:t.end], "count", strconv.Itoa(total))
		if t.selfClosing() {
			open = bytes.TrimRight(bytes.TrimSuffix(open, []byte("/>")), " \t\r\n")
			edits = append(edits, anEdit{start: t.start, end: t.close, repl: anConcat(open, []byte(">"+children+"</"+el(list)+">"))})
			return existing
		}
		edits = append(edits, anEdit{start: t.start, end: t.end, repl: open})
		if children != "" {
			edits = append(edits, anAppendChildren(s.data, t, []byte(children)))
		}
		return existing
	}

	// Fonts of the results sheet, in the workbook's own font face.
	face := "宋体"
	if ft, ok := s.lists["fonts"]; ok {
		if m := fontNameRe.FindSubmatch(s.data[ft.start:ft.close]); m != nil {
			face = string(m[1])
		}
	}
	nameEl := fmt.Sprintf(`<%s val="%s"/>`, el("name"), face)
	szEl := func(sz int) string { return fmt.Sprintf(`<%s val="%d"/>`, el("sz"), sz) }
	fonts := "<" + el("font") + "><" + el("b") + "/>" + szEl(12) + nameEl + "</" + el("font") + ">" +
		"<" + el("font") + "><" + el("b") + "/>" + szEl(11) + nameEl + "</" + el("font") + ">" +
		"<" + el("font") + "><" + el("u") + "/>" + szEl(11) + `<` + el("color") + ` rgb="FF0563C1"/>` + nameEl + "</" + el("font") + ">"
	nFonts := s.counts["fonts"]
	fontDefault := ""
	if _, ok := s.lists["fonts"]; !ok {
		fontDefault = "<" + el("font") + ">" + szEl(11) + nameEl + "</" + el("font") + ">"
		nFonts = 1
	}
	extend("fonts", s.counts["fonts"], fontDefault, fonts)
	fTitle, fBold, fLink := nFonts, nFonts+1, nFonts+2

	solid := func(rgb string) string {
		return fmt.Sprintf(`<%s><%s patternType="solid"><%s rgb="FF%s"/><%s indexed="64"/></%s></%s>`,
			el("fill"), el("patternFill"), el("fgColor"), rgb, el("bgColor"), el("patternFill"), el("fill"))
	}
	none := fmt.Sprintf(`<%s><%s patternType="none"/></%s>`, el("fill"), el("patternFill"), el("fill"))
	gray := fmt.Sprintf(`<%s><%s patternType="gray125"/></%s>`, el("fill"), el("patternFill"), el("fill"))
	nFills := s.counts["fills"]
	pad := ""
	switch nFills { // fills 0 and 1 are reserved by Excel
	case 0:
		pad = none + gray
	case 1:
		pad = gray
	}
	if _, ok := s.lists["fills"]; !ok {
		extend("fills", 0, none+gray, solid(ErrorFill)+solid(WarningFill)+solid("D9D9D9"))
		nFills = 2
	} else {
		extend("fills", nFills, "", pad+solid(ErrorFill)+solid(WarningFill)+solid("D9D9D9"))
		nFills = max(nFills, 2)
	}
	fRed, fYellow, fGray := nFills, nFills+1, nFills+2

	side := func(n string) string {
		return fmt.Sprintf(`<%s style="thin"><%s rgb="FFBFBFBF"/></%s>`, el(n), el("color"), el(n))
	}
	border := "<" + el("border") + ">" + side("left") + side("right") + side("top") + side("bottom") + "<" + el("diagonal") + "/></" + el("border") + ">"
	nBorders := s.counts["borders"]
	borderDefault := ""
	if _, ok := s.lists["borders"]; !ok {
		borderDefault = "<" + el("border") + "><" + el("left") + "/><" + el("right") + "/><" + el("top") + "/><" + el("bottom") + "/><" + el("diagonal") + "/></" + el("border") + ">"
		nBorders = 1
	}
	extend("borders", s.counts["borders"], borderDefault, border)
	bGray := nBorders

	if _, ok := s.lists["cellStyleXfs"]; !ok {
		extend("cellStyleXfs", 0, fmt.Sprintf(`<%s numFmtId="0" fontId="0" fillId="0" borderId="0"/>`, el("xf")), "")
	}

	// The clones of the marked cells' formats, then the results sheet's.
	var xfs bytes.Buffer
	base := fmt.Sprintf(`<%s numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`, el("xf"))
	for _, c := range s.clones {
		var x []byte
		if c[0] < len(s.xfs) {
			r := s.xfs[c[0]]
			x = s.data[r[0]:r[1]]
		} else {
			x = []byte(base)
		}
		end := anTagEnd(x, 0)
		fill := fRed
		if c[1] == 1 {
			fill = fYellow
		}
		open := anSetAttr(anSetAttr(x[:end], "fillId", strconv.Itoa(fill)), "applyFill", "1")
		xfs.Write(open)
		xfs.Write(x[end:])
	}
	n := max(len(s.xfs), 1) + len(s.clones)
	align := func(attrs string) string { return fmt.Sprintf(`<%s %s/>`, el("alignment"), attrs) }
	xf := func(font, fill, border int, alignment string) int {
		fmt.Fprintf(&xfs, `<%s numFmtId="0" fontId="%d" fillId="%d" borderId="%d" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">%s</%s>`,
			el("xf"), font, fill, border, alignment, el("xf"))
		n++
		return n - 1
	}
	s.results = resultStyles{
		title:      xf(fTitle, 0, 0, ""),
		header:     xf(fBold, fGray, bGray, align(`horizontal="center" vertical="center"`)),
		plain:      xf(0, 0, bGray, align(`vertical="top" wrapText="1"`)),
		link:       xf(fLink, 0, bGray, align(`vertical="top"`)),
		sevError:   xf(0, fRed, bGray, align(`horizontal="center" vertical="top"`)),
		sevWarning: xf(0, fYellow, bGray, align(`horizontal="center" vertical="top"`)),
	}
	if _, ok := s.lists["cellXfs"]; !ok {
		extend("cellXfs", 0, base, xfs.String())
	} else {
		extend("cellXfs", len(s.xfs), "", xfs.String())
	}

	for at, x := range inserted {
		pos := anCloseStart(s.data, s.tags[0])
		if t, ok := s.lists[at]; ok && at != "" {
			pos = t.start
		}
		edits = append(edits, anEdit{start: pos, end: pos, repl: x})
	}
	if s.tags[0].selfClosing() {
		return nil
	}
	return anApplyEdits(s.data, edits)
}
