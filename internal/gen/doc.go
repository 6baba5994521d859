// Package gen writes deterministic synthetic city workbooks (ufa gen): the
// monthly submissions of Liaoning's 14 cities that the demo, the tests and
// the benchmarks of every later stage run on.
//
// One state per city starts in the January of the first month's year and
// evolves month by month (organizations registered and deregistered,
// representatives listed and leaving, coverage growing), every random draw
// coming from a stream derived from the seed and the names of what it is
// for, so the same seed gives byte-identical files, whatever the number of
// workers, the cities selected or the months of the range.
//
// Layout of Options.Out:
//
//	YYYY-MM/<城市名>_YYYY-MM.xlsx        the regular submission, 填报日期 the 1st–5th of the next month
//	YYYY-MM/<城市名>_YYYY-MM_初报.xlsx   (--faults) a rejected first attempt, filed earlier, with a few errors
//	YYYY-MM/<城市名>_YYYY-MM_更正.xlsx   (--faults) a valid correction filed the 8th–25th, superseding the regular file
//	faults/<CODE>.xlsx                   (--faults) a small workbook with exactly one finding of CODE
//
// With Faults, one city also files one month late (after the 5th) and one
// city skips one month (no file; Summary.Skipped names it). The files in
// faults/ are 沈阳市's (the first selected city's) of the first month,
// filed on the month's last day: the W_* ones are acceptable workbooks, so
// ingest the month folders, not faults/, when building a warehouse.
//
// Sizes: about 28,900 organizations in the province at Scale 1 (沈阳市
// and 大连市 a fifth each, the others by population), one representative
// per ten organizations, activities in proportion. For one workbook of
// about 100,000 organizations (a benchmark of the reader and the loader):
//
//	ufa gen --out /tmp/big --city 沈阳市 --scale 17.3 --from 2026-01 --to 2026-01
//
// writes /tmp/big/2026-01/沈阳市_2026-01.xlsx with 99,994 organizations
// and about 11,300 representatives (12 MB, about 1.5 s of CPU).
//
// It must not open the warehouse nor check its own workbooks: the tests
// and the demo take them through package ingest, which gen does not
// import, so a fault it means to write is judged by the real rules.
package gen
