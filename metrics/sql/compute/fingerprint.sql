-- The fingerprint of what a month's indicators read (ensure.go): every
-- attempt (id and outcome) of every month from the first month the
-- windows need to the month, whatever its outcome, since error_count,
-- on_time and submission_count read rejected and superseded attempts too.
-- A new attempt, a correction that supersedes a workbook, or a removed
-- one changes it. Go adds the definitions' hash and hashes the text.
-- Statements end with ";" at the end of a line.

-- The current text: first month, month.
SELECT coalesce(string_agg(id::VARCHAR || ':' || outcome, ',' ORDER BY id), '')
FROM submissions
WHERE month BETWEEN ? AND ?;

-- The stored fingerprints of months (a list).
SELECT r.month, coalesce(i.fingerprint, '')
FROM (SELECT DISTINCT month FROM metric_runs) r
LEFT JOIN metric_inputs i ON i.month = r.month
WHERE r.month IN (SELECT unnest(?::VARCHAR[]));

-- Months of a list with at least one attempt.
SELECT DISTINCT month, '' FROM submissions WHERE month IN (SELECT unnest(?::VARCHAR[]));

-- Storing a month's fingerprint (in Compute's transaction).
DELETE FROM metric_inputs WHERE month = ?;

INSERT INTO metric_inputs (month, fingerprint) VALUES (?, ?);
