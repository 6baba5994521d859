-- name: 本月新纳入人数
-- unit: count
-- group: 代表人士
-- order: 260
-- province: union
-- Persons on this month's list and not on the previous month's. Only cities
-- with accepted workbooks for both months take part (m_scope2); others get
-- null, and the province compares the union of those cities' lists, so a
-- person moving between two such cities is neither an entry nor an exit
-- of the province.
-- @value
WITH cur AS (SELECT DISTINCT s.scope, r.id_hash FROM m_rep r JOIN m_scope2 s ON s.city_code = r.city_code),
     prev AS (SELECT DISTINCT s.scope, r.id_hash FROM m_prev_rep r JOIN m_scope2 s ON s.city_code = r.city_code),
     n AS (SELECT scope, count(*) AS n FROM (SELECT * FROM cur EXCEPT SELECT * FROM prev) GROUP BY scope)
SELECT sc.scope AS city_code, coalesce(n.n, 0) AS num, NULL AS den
FROM (SELECT DISTINCT scope FROM m_scope2) sc LEFT JOIN n ON n.scope = sc.scope
-- @rows 本月新纳入的代表人士
WITH prev AS (SELECT DISTINCT s.scope, r.id_hash FROM m_prev_rep r JOIN m_scope2 s ON s.city_code = r.city_code)
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       r.org_credit_code AS 所在组织统一社会信用代码, r.listed_on AS 纳入名单日期
FROM m_rep r JOIN m_scope2 s ON s.city_code = r.city_code
WHERE s.scope = ? AND NOT EXISTS (SELECT 1 FROM prev WHERE prev.scope = s.scope AND prev.id_hash = r.id_hash)
ORDER BY r.id_masked, r.city_code
