-- The tables package metrics writes and the dashboards and report read.
-- IF NOT EXISTS: warehouses written before this migration existed got
-- them from the metrics package itself.
--
-- indicator_values: one row per month, place and indicator; city_code is a
-- city's 6-digit code or 210000 for the province (city_name 辽宁省); value
-- is unrounded, rates as fractions, null where metrics.md says null. score
-- and rank are indicators like the others. Recomputing a month replaces
-- all its rows in one transaction.
CREATE TABLE IF NOT EXISTS indicator_values (
    month     VARCHAR NOT NULL,
    city_code VARCHAR NOT NULL,
    city_name VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    value     DOUBLE
);

-- metric_runs: the latest computation of each month: when, with which
-- scheme (its name and YAML text), from which workbooks (submissions.id,
-- ascending, comma-separated).
CREATE TABLE IF NOT EXISTS metric_runs (
    month          VARCHAR NOT NULL,
    computed_at    TIMESTAMP NOT NULL,
    scheme_name    VARCHAR NOT NULL,
    scheme_yaml    VARCHAR NOT NULL,
    submission_ids VARCHAR NOT NULL
);
