-- metric_inputs: what a month's stored indicators were computed from, as
-- a fingerprint (metrics/fingerprint.sql): every workbook attempt of every
-- month the month's windows read (3 months, year to date), with its
-- outcome, and the indicator definitions. metrics.Ensure recomputes a
-- month whose fingerprint is missing (computed before this table existed)
-- or no longer matches, so no page or report shows figures of workbooks
-- that are no longer current. Written with indicator_values, in the same
-- transaction.
CREATE TABLE IF NOT EXISTS metric_inputs (
    month       VARCHAR NOT NULL PRIMARY KEY,
    fingerprint VARCHAR NOT NULL
);
