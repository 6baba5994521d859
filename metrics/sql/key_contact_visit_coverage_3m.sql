-- name: 重点联系人士走访覆盖率（近三个月）
-- unit: rate
-- group: 联系活动
-- order: 450
-- province: union
-- window: 3m
-- numerator: 近三个月参加过走访活动的重点联系人士数
-- denominator: 重点联系人数
-- Current key contacts (this month's list) who took part in at least one
-- 走访 activity in the 3m window, from the current accepted workbooks of the
-- window's months; for the province, in any reporting city's activities.
-- @value
SELECT scope AS city_code, key_contact_visited_3m AS num, key_contact AS den FROM m_rep_agg
-- @rows 重点联系人士（分母），“计入分子”为近三个月参加过走访的
WITH v AS (SELECT scope, id_hash, count(*) AS n FROM m_part_scope WHERE in_3m AND type = '走访' GROUP BY ALL)
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       coalesce(v.n, 0) AS 近三个月走访次数, v.n IS NOT NULL AS 计入分子
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
JOIN m_rep_scope rs ON rs.scope = s.scope AND rs.id_hash = r.id_hash
LEFT JOIN v ON v.scope = s.scope AND v.id_hash = r.id_hash
WHERE s.scope = ? AND rs.key_contact
ORDER BY 计入分子 DESC, r.id_masked, r.city_code
