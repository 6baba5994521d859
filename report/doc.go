// Package report writes a month's assessment as an Excel workbook fit to
// hand to the leadership's office (ufa report, and ufa run): it reads the
// warehouse (the values ufa metrics stored, the scheme they were scored
// with, the submissions) and writes xlsx.
//
// Sheets, each with a title row naming the month, a note row saying how to
// read it, frozen header rows, borders, Chinese column widths and a print
// setup (A4 landscape, fit to the page width, header rows repeated on
// every page, page numbers in the footer):
//
//   - 排名: the ranked cities (rank, city, score to two decimals), then the
//     cities that did not submit, then 辽宁省; for each indicator of the
//     scheme the value and the points it earned, under a two-level header
//     (the indicator and its weight, merged over 值 and 得分).
//   - one sheet per indicator group (组织覆盖, 代表人士, 工作机制, 联系活动,
//     建言献策与提名举荐): the 14 cities in code order as rows and the
//     province 辽宁省 as the last row, the group's indicators as columns.
//   - 报送情况: per city, whether it submitted, the 填报日期 of its first
//     accepted workbook, on time, attempts, the latest attempt's errors and
//     outcome, who filled it in and the file (the submissions named query).
//
// Choices where the spec is silent: the groups 综合评价 (score and rank)
// and 报送情况 have no indicator sheet of their own, the ranking and the
// status sheet show them; a null value is shown as “—”; rates carry the
// format 0.0% on the unrounded fraction, ratios and points 0.00, the score
// is rounded to two decimals (the displayed figure is the stored one);
// for the province, on_time and submitted are counts of cities (format
// 0"个市") and mean flags percentages.
//
// Every text, including names and file names that come from the cities'
// workbooks, is written as a string cell, so text starting with = + - or @
// stays text. The same warehouse gives the same bytes: the document's
// dates are those of the month's computation, never the clock, and
// excelize writes its parts in a fixed order with no zip timestamps.
//
// It only reads the warehouse, never writes it, and computes no indicator:
// it shows the values metrics stored, so the workbook cannot disagree with
// the pages or ufa metrics.
package report
