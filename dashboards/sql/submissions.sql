-- Every attempt of the cities in the trend window (first and last month,
-- YYYY-MM), oldest first within a city and month. Attempts whose city or
-- month could not be read are not attributable to a city and left out here
-- (unattributed.sql counts them).
SELECT id,
       file_name,
       city_code,
       month,
       coalesce(strftime(filed_on, '%Y-%m-%d'), '') AS filed_on,
       outcome,
       errors,
       warnings
FROM submissions
WHERE city_code IS NOT NULL AND month IS NOT NULL
  AND month BETWEEN ? AND ?
ORDER BY city_code, month, received_at, id
