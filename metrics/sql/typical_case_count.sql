-- name: 本月宣传典型案例数
-- unit: count
-- group: 联系活动
-- order: 440
-- province: sum
-- typical_cases as reported; the province's value is the sum over reporting cities.
-- @value
SELECT s.scope AS city_code, sum(m.typical_cases) AS num, NULL AS den
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE m.month = (SELECT month FROM m_params)
GROUP BY s.scope
-- @rows 本月宣传典型案例数
SELECT m.city_name AS 填报城市, m.month AS 报送月份, m.typical_cases AS 本月宣传典型案例数
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE s.scope = ? AND m.month = (SELECT month FROM m_params)
ORDER BY m.city_code, m.month
