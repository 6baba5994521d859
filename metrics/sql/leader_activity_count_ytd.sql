-- name: 党委主要领导参加活动次数（年度累计）
-- unit: count
-- group: 联系活动
-- order: 480
-- province: union
-- window: ytd
-- Activities in the ytd window with leader_attended, from the current accepted workbooks of the window's months.
-- @value
SELECT sc.scope AS city_code, count(a.activity_id) FILTER (WHERE a.in_ytd AND a.leader_attended) AS num, NULL AS den
FROM m_scopes sc LEFT JOIN m_act_scope a ON a.scope = sc.scope
GROUP BY sc.scope
-- @rows 本年党委主要领导参加的活动
SELECT a.city_name AS 填报城市, a.month AS 报送月份, a.activity_id AS 活动编号, a.date AS 活动日期,
       a.type AS 活动类型, a.title AS 活动名称, a.leader_attended AS 党委主要领导是否参加
FROM m_act_scope a
WHERE a.scope = ? AND a.in_ytd AND a.leader_attended
ORDER BY a.city_code, a.date, a.activity_id
