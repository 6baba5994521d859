// Package metrics computes the indicators of docs/metrics.md for
// a month, scores and ranks the cities by an assessment scheme (考核方案),
// stores the values in the warehouse, and explains any value.
//
// # Indicators are SQL files
//
// Each indicator is one file sql/<id>.sql: a header of "-- key: value"
// lines (name 中文名, unit count|rate|ratio|flag, group, order, province
// union|mean|sum|count, and for ratios numerator and denominator in
// Chinese, scale for "per 100" ratios, window 3m|ytd), free comment lines
// saying how it is counted, then
//
//   - "-- @value": one query giving city_code, num, den for every city that
//     has a value and for the province (210000). The value is num, or for
//     a ratio scale × num / den, null when den is 0;
//   - "-- @rows TITLE" (any number): a query with a ? for the place (a city
//     code or 210000) listing the rows behind the value, for Explain.
//
// A new indicator is a new file. The files read only the m_* temporary
// tables and views that sql/compute/inputs.sql builds for the month from
// the warehouse's views (cur_*, attempts, latest_attempts, first_accepted;
// inputs.sql is the one file that knows the warehouse's tables), in one
// transaction. The scripts Compute runs around the indicators' queries are
// sql/compute/params.sql, cities.sql, inputs.sql, store.sql and
// fingerprint.sql; every file is read and split with internal/sqlfile:
//
//   - m_params: the month, the previous month, the windows' bounds (3m: the
//     month and the two before it; ytd: January to the month) and the
//     scheme's deadline; m_city: the 14 cities.
//   - m_reporting: the cities with a current accepted workbook for the
//     month; m_sub: their current accepted workbooks of every month the
//     windows need. A city that did not report the month has no values
//     (null), windows included, and is left out of the province.
//   - m_scope maps each reporting city to itself and to the province; one
//     GROUP BY scope gives the cities' values and the province's over the
//     union of their rows. m_org_scope and m_rep_scope hold one row per
//     scope and credit code / person (keyed ID hash), so an organization or
//     person two cities report counts once in the province; it has a flag
//     (Party organization, key contact, ...) when either city reports it,
//     and the larger staff figure. m_org_agg and m_rep_agg (with
//     m_part_rep) sum them per scope in one pass per table; the value
//     queries of those indicators read a row per scope.
//   - m_org, m_rep, m_prev_rep, m_act(_scope), m_part_scope, m_sugg_scope,
//     m_nom_scope, m_mech, m_attempt: the sheets' rows with the window
//     flags in_month, in_3m, in_ytd (an event counts in a window when its
//     workbook's month and its date are inside it).
//
// # Choices where metrics.md is silent
//
//   - Events (activities, participations, suggestions, nominations) are
//     each city's own rows; the province adds them up (no event ID is shared
//     between cities).
//   - rep_entries/rep_exits need accepted workbooks for the month and the
//     month before; the province compares the union of the lists of the
//     cities that have both (a person moving between two of them is neither
//     an entry nor an exit of the province).
//   - submission_count counts accepted, superseded and rejected attempts;
//     sending the very same file again (unchanged) is not a new attempt.
//     error_count is null for a city with no attempt; the province's value
//     is the sum over the cities' latest attempts. Both are 0/defined for
//     every city, like submitted and on_time.
//   - on_time uses the first accepted workbook in order of receipt, even if
//     it was later superseded.
//   - The province's score takes on_time (and submitted, if a scheme scores
//     it) as the share of the 14 cities.
//   - Ranking ties on score and work_coverage go to the lower city code; a
//     city with no work_coverage (no organizations) ranks after one with.
//
// # Scheme, score, rank
//
// The default scheme is default_scheme.yaml (metrics.md's table); an office
// file has the same form and is checked by ParseScheme. Compute adds score
// and rank (see scoreAndRank) and stores everything in indicator_values
// (one row per month, place and indicator, null where there is no value),
// replacing the month's rows, with a metric_runs row naming the scheme and
// the submissions used, in one transaction. The two tables belong to the
// warehouse schema (transform/migrations/002_indicators.sql).
//
// # Never stale
//
// Compute also records, in metric_inputs (migration 005), a fingerprint of
// what the month read: every workbook attempt of every month its windows
// cover, and the indicator definitions (sql/compute/fingerprint.sql, ensure.go). Stale
// lists the months whose stored values are missing or no longer match the
// warehouse; Ensure recomputes them. Whatever shows stored figures calls
// Ensure first, so no page or report shows figures of workbooks that are
// no longer current.
//
// # Drill-down
//
// Explain recomputes one value of one place from the warehouse as it is
// and returns its numerator, denominator and the rows behind them (the
// indicator's @rows queries), in a transaction that is rolled back; score
// and rank are explained from the stored values (each scheme item's
// points; the ranking). ufa metrics --explain ID --city C prints it.
//
// # What it must not do
//
// It writes only its own tables (indicator_values, metric_runs,
// metric_inputs), never the workbooks' tables nor the submissions, and it
// renders and prints nothing: dashboards, report, queries and cmd/ufa show
// its values.
package metrics
