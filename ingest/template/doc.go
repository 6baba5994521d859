// Package template writes the blank monthly workbook a city fills in: the
// 填写说明 sheet, every sheet of the contract (internal/spec) with its
// header, widths, formats, drop-downs and checks, the cover pre-filled from
// Options, and the hidden sheet of lists. The same book and options give
// the same bytes.
//
// It owns the template's layout. It must not read or check workbooks (the
// test proves a filled template validates, through package ingest) and
// knows no rule beyond what internal/spec declares.
package template
