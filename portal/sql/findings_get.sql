-- An attempt's findings, in the order ingest found them.
SELECT severity, code, coalesce(sheet, ''), coalesce(excel_row, 0), coalesce(excel_column, ''),
       coalesce(field, ''), coalesce(value, ''), message
FROM findings WHERE submission_id = ? ORDER BY seq;
