package textgrid

import (
	"bufio"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// Width is the width of s in a terminal: a wide (Chinese) character
// counts two columns.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Write prints rows as columns two spaces apart, each as wide as its
// widest cell; right(i) tells which columns are right-aligned (figures).
// Trailing spaces are trimmed.
func Write(w io.Writer, rows [][]string, right func(col int) bool) error {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(c))
		}
	}
	bw := bufio.NewWriter(w)
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-Width(c))
			if right(i) {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " "))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
