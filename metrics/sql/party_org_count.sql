-- name: 建立党组织的社会组织数
-- unit: count
-- group: 组织覆盖
-- order: 110
-- province: union
-- Organizations with has_party_org. In the province an organization two
-- cities report counts when either reports a Party organization (the union
-- of the cities' sets).
-- @value
SELECT scope AS city_code, party AS num, NULL AS den FROM m_org_agg
-- @rows 建立党组织的社会组织
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.party_org_form AS 党组织组建形式
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
WHERE s.scope = ? AND o.has_party_org
ORDER BY o.credit_code, o.city_code
