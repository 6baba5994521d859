// Package report shows the result of validating a workbook to the people
// and programs that asked for it: the Chinese text report and the verdict
// line of `ufa validate`, its JSON (--json), and the annotated copy of the
// workbook itself — the clerk's own file with every finding's cell
// coloured and commented and a 校验结果 sheet added, every other byte of
// the original kept. The three share one arrangement of the findings
// (sheet order, row, column) and mask ID numbers the same way.
//
// It owns how findings are shown. It must not read or check workbooks: it
// takes a Result (ingest/model) made by package ingest; the annotated copy
// reads the original package only to copy it, and refuses what it cannot
// copy safely rather than guess. (Not to be confused with package
// ufa/report, the office's Excel report over the warehouse.)
package report
