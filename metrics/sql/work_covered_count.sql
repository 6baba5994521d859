-- name: 党的工作覆盖社会组织数
-- unit: count
-- group: 组织覆盖
-- order: 130
-- province: union
-- Organizations with has_party_org or has_liaison.
-- @value
SELECT scope AS city_code, covered AS num, NULL AS den FROM m_org_agg
-- @rows 党的工作覆盖的社会组织
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.has_party_org AS 是否建立党组织, o.has_liaison AS 是否有统战工作联络员
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
WHERE s.scope = ? AND o.covered
ORDER BY o.credit_code, o.city_code
