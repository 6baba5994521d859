-- name: 专职统战干部人数
-- unit: count
-- group: 工作机制
-- order: 320
-- province: sum
-- As reported; the province's value is the sum over reporting cities.
-- @value
SELECT s.scope AS city_code, sum(m.fulltime_cadres) AS num, NULL AS den
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE m.month = (SELECT month FROM m_params)
GROUP BY s.scope
-- @rows 专职统战干部人数
SELECT m.city_name AS 填报城市, m.fulltime_cadres AS 专职统战干部人数
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE s.scope = ? AND m.month = (SELECT month FROM m_params)
ORDER BY m.city_code
