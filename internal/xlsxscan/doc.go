// Package xlsxscan is the fast path for reading the cells of an xlsx
// workbook: a streaming scanner that works on the bytes of the worksheet
// XML as the zip reader inflates them, instead of decoding it with
// encoding/xml as excelize does. On the 100,000-organization benchmark
// sheet it runs close to the cost of inflating the sheet (see the
// benchmarks in bench_test.go), where excelize's Rows iterator is an order
// of magnitude slower.
//
// It gives the same cells as excelize's Rows iterator with
// Options{RawCellValue: true} — the contract of the ufa reader — so that
// the reader can take its cells from either (the differential test holds
// both to that on the corpus and on generated workbooks). Cell.Value is
// the raw value: shared strings resolved, inline and rich-text strings
// joined (phonetic runs left out), _xHHHH_ escapes of strings decoded,
// entities and character references decoded, line ends normalised as XML
// requires, numbers and booleans as written, dates as the serial numbers
// written (or the ISO text of a t="d" cell). A cell is reported when it
// has a value or a formula, as excelize keeps it; rows without such a
// cell are not reported.
//
// It reads what Excel, WPS, LibreOffice, Google Sheets, Numbers and the
// common libraries write: Strict OOXML, namespace prefixes on elements
// (<x:c>) and on relationship ids, rows and cells without r= attributes,
// CDATA, comments, relative, absolute and backslashed relationship
// targets, parts named in any case. Whatever else it meets — a cell type
// it does not know, rows or cells out of order, a DTD, a non-UTF-8
// encoding, markup where text should be — gives ErrUnsupported, and the
// caller reads the workbook with excelize instead. Not well-formed XML
// gives ErrMalformed (which is also ErrUnsupported). Packages over the
// Limits give ErrLimit: refuse those, do not fall back.
//
// Where the two readers differ on a valid file, the fast path is right
// and the difference is written down in the differential test:
// excelize drops the value of a cell with an empty style attribute
// (s=""), does not find a shared-string table or a workbook that is not
// where Excel puts it, and drops escaped surrogate pairs.
//
// The scanner keeps a window of the inflated part (1 MiB, doubled only for
// a row that does not fit) and parses one row at a time inside it; values
// are sub-slices of the window, or of a per-row arena when they need
// decoding, so a row costs no allocation in the steady state. It does not
// import encoding/xml for sheets (only for the small workbook and
// relationship parts) and builds without cgo.
package xlsxscan
