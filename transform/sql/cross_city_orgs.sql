-- Organizations of a submission that another city also reports for the
-- same month, in that city's current workbook (W_CROSS_CITY_ORG).
SELECT o.excel_row, o.credit_code, coalesce(o.name, ''), s.city_name, s.file_name
FROM organizations o
JOIN cur_organizations x
  ON x.credit_code = o.credit_code AND x.month = o.month AND x.city_code <> o.city_code
JOIN submissions s ON s.id = x.submission_id
WHERE o.submission_id = ?
ORDER BY o.excel_row, s.city_code;
