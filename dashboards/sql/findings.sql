-- The findings of one submission in the order they were recorded (the
-- validator's order: sheet, row, column), at most ? of them.
SELECT severity,
       code,
       coalesce(sheet, '') AS sheet,
       coalesce(excel_row, 0) AS excel_row,
       coalesce(excel_column, '') AS excel_column,
       coalesce(value, '') AS value,
       message
FROM findings
WHERE submission_id = ?
ORDER BY seq
LIMIT ?
