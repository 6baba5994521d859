-- name: 本月联席会议次数
-- unit: count
-- group: 联系活动
-- order: 430
-- province: sum
-- joint_meetings as reported; the province's value is the sum over reporting cities.
-- @value
SELECT s.scope AS city_code, sum(m.joint_meetings) AS num, NULL AS den
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE m.month = (SELECT month FROM m_params)
GROUP BY s.scope
-- @rows 本月召开联席会议次数
SELECT m.city_name AS 填报城市, m.month AS 报送月份, m.joint_meetings AS 本月召开联席会议次数
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE s.scope = ? AND m.month = (SELECT month FROM m_params)
ORDER BY m.city_code, m.month
