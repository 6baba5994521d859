-- Organizations of the month's current workbooks by city and by type and by
-- sector (dimension 'type' or 'sector'), the largest group first.
SELECT city_code, 'type' AS dimension, coalesce(org_type, '未填写') AS label, count(*) AS n
FROM cur_organizations
WHERE month = ?
GROUP BY ALL
UNION ALL
SELECT city_code, 'sector' AS dimension, coalesce(sector, '未填写') AS label, count(*) AS n
FROM cur_organizations
WHERE month = ?
GROUP BY ALL
ORDER BY city_code, dimension, n DESC, label
