-- name: 代表人士数
-- unit: count
-- group: 代表人士
-- order: 200
-- province: union
-- Persons on the month's representative list, once per ID (its keyed hash).
-- @value
SELECT scope AS city_code, reps AS num, NULL AS den FROM m_rep_agg
-- @rows 代表人士
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       r.org_credit_code AS 所在组织统一社会信用代码, r.political_status AS 政治面貌
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
WHERE s.scope = ?
ORDER BY r.id_masked, r.city_code
