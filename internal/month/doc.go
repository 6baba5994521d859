// Package month is the calendar month ufa counts in: a workbook reports
// one month, the indicators are computed per month, and a month is
// written YYYY-MM everywhere (file names, the warehouse, the command
// line, the pages).
//
// Parse reads the canonical form only; ParseLoose also reads the
// spellings a clerk types on a cover sheet or after --month (2026/10,
// 2026.10, 2026年10月, 202610). Reading a cell (an Excel date, spaces,
// 月份) stays with the workbook reader. Messages for the user stay with
// the caller: Parse returns *Error, which says only what was given.
//
// It must not read workbook cells nor word messages for the user.
package month
