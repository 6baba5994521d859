-- name: 成立社会组织联合会或促进会
-- unit: flag
-- group: 工作机制
-- order: 330
-- province: mean
-- 1 or 0 as reported; the province's value is the mean over reporting cities.
-- @value
SELECT s.scope AS city_code, avg(CASE WHEN m.federation_established THEN 1 ELSE 0 END) AS num, NULL AS den
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE m.month = (SELECT month FROM m_params)
GROUP BY s.scope
-- @rows 是否成立社会组织联合会或促进会
SELECT m.city_name AS 填报城市, m.federation_established AS 是否成立社会组织联合会或促进会
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE s.scope = ? AND m.month = (SELECT month FROM m_params)
ORDER BY m.city_code
