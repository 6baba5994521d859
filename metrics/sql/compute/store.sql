-- Storing a computed month (compute.go runs these in order, in the same
-- transaction as inputs.sql). Statements end with ";" at the end of a line.

-- The values of the month: one row per indicator and scope that has one.
CREATE OR REPLACE TEMP TABLE m_values (
    indicator VARCHAR,
    city_code VARCHAR,
    num       DOUBLE,
    den       DOUBLE,
    value     DOUBLE
);

-- score and rank, computed in Go from the scheme.
INSERT INTO m_values (city_code, indicator, value)
SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::DOUBLE[]);

DELETE FROM indicator_values WHERE month = ?;

-- Every indicator for the province and every city, null where there is no
-- value (a city that did not submit, a ratio over zero).
INSERT INTO indicator_values (month, city_code, city_name, indicator, value)
SELECT p.month, c.city_code, c.city_name, d.indicator, v.value
FROM (SELECT province AS city_code, ?::VARCHAR AS city_name FROM m_params
      UNION ALL
      SELECT city_code, city_name FROM m_city) c
CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS indicator) d
CROSS JOIN m_params p
LEFT JOIN m_values v ON v.city_code = c.city_code AND v.indicator = d.indicator;

DELETE FROM metric_runs WHERE month = ?;

-- The scheme and the workbooks (submission ids, ascending, comma-separated)
-- the values came from.
INSERT INTO metric_runs (month, computed_at, scheme_name, scheme_yaml, submission_ids)
SELECT p.month, ?::TIMESTAMP, ?::VARCHAR, ?::VARCHAR,
       (SELECT coalesce(string_agg(submission_id::VARCHAR, ',' ORDER BY submission_id), '') FROM m_sub)
FROM m_params p;
