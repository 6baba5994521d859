-- name: 本月退出人数
-- unit: count
-- group: 代表人士
-- order: 270
-- province: union
-- Persons on the previous month's list and not on this month's; null, and
-- left out of the province, like rep_entries.
-- @value
WITH cur AS (SELECT DISTINCT s.scope, r.id_hash FROM m_rep r JOIN m_scope2 s ON s.city_code = r.city_code),
     prev AS (SELECT DISTINCT s.scope, r.id_hash FROM m_prev_rep r JOIN m_scope2 s ON s.city_code = r.city_code),
     n AS (SELECT scope, count(*) AS n FROM (SELECT * FROM prev EXCEPT SELECT * FROM cur) GROUP BY scope)
SELECT sc.scope AS city_code, coalesce(n.n, 0) AS num, NULL AS den
FROM (SELECT DISTINCT scope FROM m_scope2) sc LEFT JOIN n ON n.scope = sc.scope
-- @rows 本月退出的代表人士（上月名单上有、本月名单上没有）
WITH cur AS (SELECT DISTINCT s.scope, r.id_hash FROM m_rep r JOIN m_scope2 s ON s.city_code = r.city_code)
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       r.org_credit_code AS 上月所在组织统一社会信用代码
FROM m_prev_rep r JOIN m_scope2 s ON s.city_code = r.city_code
WHERE s.scope = ? AND NOT EXISTS (SELECT 1 FROM cur WHERE cur.scope = s.scope AND cur.id_hash = r.id_hash)
ORDER BY r.id_masked, r.city_code
