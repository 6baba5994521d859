-- name: 制度建设完成度
-- unit: rate
-- group: 工作机制
-- order: 300
-- province: mean
-- numerator: 已建立的制度数
-- denominator: 制度总数（6项）
-- The six sys_* items that are 是, divided by 6; the province's value is
-- the mean over reporting cities (its numerator the sum of their counts,
-- its denominator 6 × the number of cities).
-- @value
SELECT s.scope AS city_code, sum(m.sys_count) AS num, 6 * count(*) AS den
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE m.month = (SELECT month FROM m_params)
GROUP BY s.scope
-- @rows 各项制度
SELECT m.city_name AS 填报城市, m.sys_friendship AS 联谊交友制度, m.sys_visits AS 定期走访制度,
       m.sys_information AS 信息反映制度, m.sys_training AS 培训考察制度, m.sys_role AS 发挥作用制度,
       m.sys_commendation AS 激励表彰制度, m.sys_count AS 已建立项数
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE s.scope = ? AND m.month = (SELECT month FROM m_params)
ORDER BY m.city_code
