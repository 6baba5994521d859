// Package xlsxscan is the fast path for reading the cells of an xlsx
// workbook: a streaming scanner that works on the bytes of the worksheet
// XML as they are inflated, instead of decoding it with encoding/xml as
// excelize does.
//
// On the 100,000-organization benchmark sheet (67 MB of XML, 1.33 million
// cells; bench_test.go) it reads every cell in about 0.17 s and 0.24 s of
// CPU with 775 allocations in all, where excelize's Rows iterator takes
// 2.4 s (2.6 s of CPU, 31 million allocations) on the same two cores, and
// merely inflating the sheet with compress/flate and counting "<c" takes
// 0.19 s. Two things put it at that floor: the sheet is inflated by
// klauspost's inflater (a hardened fork of compress/flate, twice as fast),
// set on this package's zip reader only, and in a goroutine of its own a
// few chunks ahead of the scanner.
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
// it does not know, a DTD, a non-UTF-8 encoding, markup where text should
// be — gives ErrUnsupported, and the caller reads the workbook with
// excelize instead, after CheckSheet. Not well-formed XML gives
// ErrMalformed (which is also ErrUnsupported). Packages over the Limits,
// and markup nested deeper than MaxDepth (ErrDepth), give ErrLimit; rows
// or cells out of order give ErrOrder (an *OrderError naming the row):
// refuse those, do not fall back — excelize would spend gigabytes on
// the one and silently drop or shift rows of the other.
//
// Where the two readers differ on a valid file, the fast path is right
// and the tests say so (knownDiffs, TestWorkbook, TestScanCells): excelize
// drops every cell with an empty style attribute (s=""), misses a
// shared-string table that is not at xl/sharedStrings.xml (and then
// drops the t="s" cells silently), cannot open a package without
// _rels/.rels (the fast path then reads xl/workbook.xml), and drops
// escaped surrogate pairs. Text is given as
// written, white space included: like excelize, xml:space is not applied
// (Excel trims text without xml:space="preserve"; ufa normalises all text
// anyway).
//
// The scanner keeps a window of the inflated part (1 MiB, doubled only for
// a row that does not fit) and parses one row at a time inside it,
// starting the row again after reading more when it runs past the end;
// values are sub-slices of the window, of a per-row arena when they need
// decoding, or of the shared-string table, so a row costs no allocation
// in the steady state. It reads every sheet to its end, so the zip
// reader checks its CRC. encoding/xml is used only for the small
// workbook and relationship parts. The package builds without cgo.
//
// It must not type cells nor know the contract: what a cell means is the
// reader's (ingest/read); xlsxscan gives the raw values as written.
package xlsxscan
