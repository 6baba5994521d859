package report

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// The comments of the annotated copy: the sheet's comments part (the
// city's own comments kept, a comment on a marked cell merged into ours)
// and the legacy VML drawing Excel needs to show them.

// commentText is the text of a marked cell's comment.
func noteText(lines []string) string { return cellText(strings.Join(lines, "\n")) }

func commentXML(p string, ref string, author int, text string) string {
	el := func(l string) string { return anQn(p, l) }
	rpr := func(bold bool) string {
		b := ""
		if bold {
			b = "<" + el("b") + "/>"
		}
		return "<" + el("rPr") + ">" + b + `<` + el("sz") + ` val="9"/><` + el("rFont") + ` val="宋体"/><` + el("charset") + ` val="134"/></` + el("rPr") + ">"
	}
	return fmt.Sprintf(`<%s ref="%s" authorId="%d"><%s><%s>%s<%s>%s：</%s></%s><%s>%s<%s xml:space="preserve">%s</%s></%s></%s></%s>`,
		el("comment"), ref, author, el("text"),
		el("r"), rpr(true), el("t"), CommentAuthor, el("t"), el("r"),
		el("r"), rpr(false), el("t"), anEsc("\n"+text), el("t"), el("r"),
		el("text"), el("comment"))
}

func clipComment(text string) string {
	if r := []rune(text); len(r) > maxComment {
		return string(r[:maxComment]) + "…"
	}
	return text
}

// writeComments writes the sheet's new comments part to w (streamed:
// a sheet with many findings costs no more than its marks) and returns
// the marks that had no comment before (they need a shape in the
// drawing). old is the sheet's own comments part, nil when none.
func writeComments(w io.Writer, old []byte, ms []*anMark) ([]*anMark, error) {
	byRef := map[string]*anMark{}
	for _, m := range ms {
		byRef[m.ref()] = m
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if old == nil {
		bw.WriteString(xmlDecl + `<comments xmlns="` + mainNS + `"><authors><author>` + CommentAuthor + `</author></authors><commentList>`)
		for _, m := range ms {
			bw.WriteString(commentXML("", m.ref(), 0, clipComment(noteText(m.lines))))
		}
		bw.WriteString(`</commentList></comments>`)
		return ms, bw.Flush()
	}
	var doc struct {
		Authors []string `xml:"authors>author"`
		List    []struct {
			Ref      string `xml:"ref,attr"`
			AuthorID int    `xml:"authorId,attr"`
			Text     struct {
				T string `xml:"t"`
				R []struct {
					T string `xml:"t"`
				} `xml:"r"`
			} `xml:"text"`
		} `xml:"commentList>comment"`
	}
	if err := xml.Unmarshal(old, &doc); err != nil {
		return nil, anUnsafef("comments: " + err.Error())
	}
	tags, err := anScanTags(old)
	if err != nil {
		return nil, err
	}
	p := tags[0].prefix
	var edits []anEdit
	var authors, list *anTag
	var comments []anTag
	for i, t := range tags {
		switch {
		case t.depth == 1 && t.local == "authors":
			authors = &tags[i]
		case t.depth == 1 && t.local == "commentList":
			list = &tags[i]
		case t.depth == 2 && t.local == "comment" && list != nil && t.start > list.start:
			comments = append(comments, t)
		}
	}
	if authors == nil || list == nil || len(comments) != len(doc.List) {
		return nil, anUnsafef("comments layout")
	}
	aid := -1
	for i, a := range doc.Authors {
		if a == CommentAuthor {
			aid = i
		}
	}
	if aid < 0 {
		aid = len(doc.Authors)
		edits = append(edits, anAppendChildren(old, *authors, []byte("<"+anQn(p, "author")+">"+CommentAuthor+"</"+anQn(p, "author")+">")))
	}
	had := map[string]bool{}
	for i, c := range doc.List {
		ref := strings.ReplaceAll(strings.ToUpper(c.Ref), "$", "")
		m := byRef[ref]
		if m == nil || had[ref] {
			continue
		}
		had[ref] = true
		var prev strings.Builder
		prev.WriteString(c.Text.T)
		for _, r := range c.Text.R {
			prev.WriteString(r.T)
		}
		text := noteText(m.lines)
		if s := strings.TrimSpace(prev.String()); s != "" {
			who := ""
			if c.AuthorID >= 0 && c.AuthorID < len(doc.Authors) {
				who = doc.Authors[c.AuthorID]
			}
			text += "\n——原批注（" + who + "）——\n" + cellText(s)
		}
		edits = append(edits, anEdit{start: comments[i].start, end: comments[i].close, repl: []byte(commentXML(p, c.Ref, aid, clipComment(text)))})
	}
	var fresh []*anMark
	for _, m := range ms {
		if !had[m.ref()] {
			fresh = append(fresh, m)
		}
	}
	if len(fresh) > 0 {
		e := anAppendChildren(old, *list, nil)
		repl := e.repl
		e.repl = nil
		e.gen = func(w *bufio.Writer) {
			if len(repl) == 0 { // an insertion point
				for _, m := range fresh {
					w.WriteString(commentXML(p, m.ref(), aid, clipComment(noteText(m.lines))))
				}
				return
			}
			// <commentList/> made into <commentList>…</commentList>
			cut := bytes.LastIndex(repl, []byte("</"))
			w.Write(repl[:cut])
			for _, m := range fresh {
				w.WriteString(commentXML(p, m.ref(), aid, clipComment(noteText(m.lines))))
			}
			w.Write(repl[cut:])
		}
		edits = append(edits, e)
	}
	anWriteEdits(bw, old, edits)
	return fresh, bw.Flush()
}

// vmlShapes draws the notes of ms, numbered from id.
func vmlShapes(w *bufio.Writer, ms []*anMark, id int) {
	for i, m := range ms {
		lines := len(m.lines)
		h := 30 + 18*lines
		for _, l := range m.lines {
			h += 18 * (len([]rune(l)) / 24)
		}
		h = min(h, 600)
		rows := h/20 + 1
		fmt.Fprintf(w, `<v:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:240pt;height:%dpt;z-index:%d;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`+
			`<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>`+
			`<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>`+
			`<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>%d, 15, %d, 10, %d, 15, %d, 4</x:Anchor>`+
			`<x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column></x:ClientData></v:shape>`,
			id+i, h*3/4, i+1, m.col, max(m.row-2, 0), m.col+5, max(m.row-2, 0)+rows, m.row-1, m.col-1)
	}
}

const vmlShapeType = `<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`

// anIdBlocks is the o:idmap data for blocks [first, first+n).
func anIdBlocks(first, n int) string {
	var s []string
	for i := 0; i < n; i++ {
		s = append(s, strconv.Itoa(first+i))
	}
	return strings.Join(s, ",")
}

// writeVML writes a new drawing with the notes of ms, its shapes numbered
// in the blocks from block on (1,024 shapes a block).
func writeVML(dst io.Writer, ms []*anMark, block int) error {
	w := bufio.NewWriterSize(dst, 64<<10)
	w.WriteString(`<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">` +
		`<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="` + anIdBlocks(block, len(ms)/1024+1) + `"/></o:shapelayout>` + vmlShapeType)
	vmlShapes(w, ms, block*1024+1)
	w.WriteString(`</xml>`)
	return w.Flush()
}

var idmapRe = regexp.MustCompile(`(<o:idmap\b[^>]*\bdata=")([^"]*)(")`)

// extendVML writes a sheet's own drawing with the notes of ms added (form
// controls and the city's notes stay as they are).
func extendVML(dst io.Writer, old []byte, ms []*anMark, block int) error {
	end := bytes.LastIndex(old, []byte("</xml>"))
	if end < 0 {
		return anUnsafef("vml drawing")
	}
	w := bufio.NewWriterSize(dst, 64<<10)
	w.Write(idmapRe.ReplaceAll(old[:end], []byte("${1}${2},"+anIdBlocks(block, len(ms)/1024+1)+"${3}")))
	if !bytes.Contains(old, []byte(`"_x0000_t202"`)) {
		w.WriteString(vmlShapeType)
	}
	vmlShapes(w, ms, block*1024+1)
	w.Write(old[end:])
	return w.Flush()
}
