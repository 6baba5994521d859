-- name: 社会组织数
-- unit: count
-- group: 组织覆盖
-- order: 100
-- province: union
-- Every organization on the month's roster, once per credit code.
-- @value
SELECT scope AS city_code, orgs AS num, NULL AS den FROM m_org_agg
-- @rows 社会组织
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.org_type AS 组织类型, o.sector AS 所属领域, o.county AS 所在县区
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
WHERE s.scope = ?
ORDER BY o.credit_code, o.city_code
