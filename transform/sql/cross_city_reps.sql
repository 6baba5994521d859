-- Representatives of a submission (by keyed hash) who are also on another
-- city's current list for the same month (W_CROSS_CITY_REP).
SELECT r.excel_row, r.id_masked, coalesce(r.name, ''), s.city_name, s.file_name
FROM representatives r
JOIN cur_representatives x
  ON x.id_hash = r.id_hash AND x.month = r.month AND x.city_code <> r.city_code
JOIN submissions s ON s.id = x.submission_id
WHERE r.submission_id = ?
ORDER BY r.excel_row, s.city_code;
