-- Representatives of a submission ($1, by keyed hash) who are also on
-- another city's (not $3) current list for the same month ($2)
-- (W_CROSS_CITY_REP).
SELECT r.excel_row, r.id_masked, coalesce(r.name, ''), s.city_name, s.file_name
FROM representatives r
JOIN representatives x ON x.id_hash = r.id_hash
JOIN submissions s ON s.id = x.submission_id
WHERE r.submission_id = $1 AND x.month = $2 AND x.city_code <> $3 AND s.outcome = 'accepted'
ORDER BY r.excel_row, s.city_code;
