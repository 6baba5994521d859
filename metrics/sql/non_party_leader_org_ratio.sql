-- name: 党外人士担任负责人的组织占比
-- unit: rate
-- group: 组织覆盖
-- order: 190
-- province: union
-- numerator: 有党外人士担任负责人的社会组织数
-- denominator: 社会组织数
-- @value
SELECT scope AS city_code, npl AS num, orgs AS den FROM m_org_agg
-- @rows 社会组织（分母），“计入分子”为党外人士担任负责人数不少于1的
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.non_party_leaders AS 党外人士担任负责人数, os.npl AS 计入分子
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
JOIN m_org_scope os ON os.scope = s.scope AND os.credit_code = o.credit_code
WHERE s.scope = ?
ORDER BY os.npl DESC, o.credit_code, o.city_code
