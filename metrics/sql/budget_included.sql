-- name: 经费纳入预算
-- unit: flag
-- group: 工作机制
-- order: 310
-- province: mean
-- 1 or 0 as reported; the province's value is the mean over reporting cities (the share of cities).
-- @value
SELECT s.scope AS city_code, avg(CASE WHEN m.budget_included THEN 1 ELSE 0 END) AS num, NULL AS den
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE m.month = (SELECT month FROM m_params)
GROUP BY s.scope
-- @rows 工作经费是否纳入同级财政预算
SELECT m.city_name AS 填报城市, m.budget_included AS 工作经费是否纳入同级财政预算
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE s.scope = ? AND m.month = (SELECT month FROM m_params)
ORDER BY m.city_code
