// Package queries answers the questions analysts and the provincial office
// ask of the warehouse (ufa query): named queries kept as SQL files, and
// free read-only SQL statements, written as an aligned table, CSV, JSON,
// an Excel workbook or Parquet.
//
// # Named queries
//
// Each named query is one file sql/<name>.sql, embedded in the binary and
// read with internal/sqlfile. A header of "-- key: value" lines says what it is:
//
//	-- name: ranking
//	-- description: 某月各市综合得分与排名……         (Chinese, for ufa query --list)
//	-- needs: metrics                                 (optional: reads indicator_values of $month)
//	-- source: metrics.Explain                        (optional: rows from metrics.Explain, no SQL)
//	-- param: month (必填) 报送月份，YYYY-MM
//	-- param: city = 全省 城市名称或6位代码……
//	-- param: lack = both [both|party|liaison] 缺少什么……
//
// A parameter is required "(必填)" or has a default "= VALUE"; "[a|b|c]"
// lists the values it accepts. The SQL after the header reads the
// warehouse's cur_* views, submissions, findings and the indicator_values
// of package metrics, and refers to parameters as $name: values are always
// bound, never written into the SQL text. Parameters with these names are
// checked and normalised before binding:
//
//   - month: YYYY-MM;
//   - city: a city's name or 6-digit code, bound as the code; 全省, 辽宁省 or
//     210000 are bound as 210000 (the queries read it as "all cities");
//   - indicator: an indicator id of ufa metrics --list;
//   - set: a whole number from 1.
//
// A query that "needs: metrics" refuses a month that ufa metrics has not
// computed, with a message saying so, rather than return an empty table.
// The drill-down (indicator_rows) has no SQL: it returns one row set of
// metrics.Explain, the same rows ufa metrics --explain prints, so that it
// cannot disagree with the value.
//
// # Free SQL
//
// A statement given instead of a name runs only if it reads: CheckReadOnly
// accepts a single statement starting with SELECT, WITH, FROM, VALUES,
// DESCRIBE, SHOW or EXPLAIN (of such a statement) and asks DuckDB's own
// parser (json_serialize_sql) to confirm it is a query. The warehouse is
// moreover opened read-only (DuckDB access_mode=READ_ONLY) by ufa query, so
// a statement that slipped through could still not write.
//
// # Output
//
// Rows stream from DuckDB to the writers (Write with a Format). Table is
// for people (aligned, a Chinese character counting two columns, 是/否 for
// booleans, — for null); CSV and JSON are for programs (full precision,
// true/false, empty/null); XLSX has a bold frozen header, numbers as
// numbers, dates as dates and every text as a text cell, so a name such as
// =HYPERLINK(...) stays text; Parquet is DuckDB's COPY of the query.
//
// # What it must not do
//
// It never writes the warehouse: named queries only read, and free SQL
// runs only if CheckReadOnly accepts it, on a connection the caller opens
// read-only and seals (Seal: no file but those allowed, never the key).
package queries
