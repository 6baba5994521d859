-- Representatives of the month's current workbooks by city and by political
-- status and by education (dimension 'status' or 'education'), the largest
-- group first. Education is optional in the workbook: empty is 未填写.
SELECT city_code, 'status' AS dimension, coalesce(political_status, '未填写') AS label, count(*) AS n
FROM cur_representatives
WHERE month = ?
GROUP BY ALL
UNION ALL
SELECT city_code, 'education' AS dimension, coalesce(nullif(education, ''), '未填写') AS label, count(*) AS n
FROM cur_representatives
WHERE month = ?
GROUP BY ALL
ORDER BY city_code, dimension, n DESC, label
