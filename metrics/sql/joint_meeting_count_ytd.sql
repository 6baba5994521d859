-- name: 联席会议次数（年度累计）
-- unit: count
-- group: 联系活动
-- order: 490
-- province: sum
-- window: ytd
-- Sum of joint_meetings over the current accepted workbooks of the ytd window's months.
-- @value
SELECT s.scope AS city_code, sum(m.joint_meetings) AS num, NULL AS den
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE m.in_ytd
GROUP BY s.scope
-- @rows 本月召开联席会议次数
SELECT m.city_name AS 填报城市, m.month AS 报送月份, m.joint_meetings AS 本月召开联席会议次数
FROM m_scope s JOIN m_mech m ON m.city_code = s.city_code
WHERE s.scope = ? AND m.in_ytd
ORDER BY m.city_code, m.month
