-- Every attempt of the cities in the trend window (first and last month,
-- YYYY-MM), within a city and month in the order ingest decided them
-- (submissions.id, the order of the warehouse's attempts view; a file sent
-- again unchanged is listed too, where it was received). Attempts whose
-- city or month could not be read are not attributable to a city and left
-- out here.
SELECT id,
       file_name,
       city_code,
       month,
       coalesce(strftime(filed_on, '%Y-%m-%d'), '') AS filed_on,
       outcome,
       errors,
       warnings,
       coalesce(superseded_by < id, false) AS older
FROM submissions
WHERE city_code IS NOT NULL AND month IS NOT NULL
  AND month BETWEEN ? AND ?
ORDER BY city_code, month, id
