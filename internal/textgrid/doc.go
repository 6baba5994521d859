// Package textgrid prints aligned tables for a terminal, where a Chinese
// character takes two columns: the tables of ufa metrics, ufa query and
// the column widths of the Excel report.
//
// It owns only widths and alignment. It must not know what a table
// holds (columns, headers, words) nor where it goes: the caller gives
// rows of text and an io.Writer.
package textgrid
