// Package sqlfile is the one way the project keeps SQL: every package's
// statements are .sql files in its sql/ folder (metrics, queries,
// dashboards, transform, portal), embedded in the binary, plus the
// warehouse's numbered migrations in transform/migrations/ (a history,
// applied in order, never edited once released; they keep their folder).
// sqlfile reads them from an fs.FS, parses their header and sections,
// strips comments, splits scripts and typed text into statements
// (outside quotes, quoted names, dollar-quoted strings and comments) and
// reports a file's problems as file:line.
//
// A file is a header, then SQL:
//
//	-- name: 按时报送          a field: "-- key: value", key in [a-z0-9_]
//	-- a free comment line    the file's doc
//	-- @value                 a section marker (metrics' indicator files)
//	SELECT ...
//
// The header is the file's leading comment and blank lines. Which fields
// and sections a file may have is its package's business: sqlfile only
// reads them and gives Errorf to report at a line.
//
// sqlfile must not know any package's keys or tables, run SQL, or
// rewrite a file's text: what DuckDB runs is the text as written.
package sqlfile
