-- Organizations of a submission ($1) that another city (not $3) also
-- reports for the same month ($2) in its current workbook
-- (W_CROSS_CITY_ORG). The month and city as values let DuckDB skip the
-- other months' rows.
SELECT o.excel_row, o.credit_code, coalesce(o.name, ''), s.city_name, s.file_name
FROM organizations o
JOIN organizations x ON x.credit_code = o.credit_code
JOIN submissions s ON s.id = x.submission_id
WHERE o.submission_id = $1 AND x.month = $2 AND x.city_code <> $3 AND s.outcome = 'accepted'
ORDER BY o.excel_row, s.city_code;
