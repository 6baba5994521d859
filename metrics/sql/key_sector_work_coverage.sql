-- name: 重点领域工作覆盖率
-- unit: rate
-- group: 组织覆盖
-- order: 160
-- province: union
-- numerator: 党的工作覆盖的重点领域社会组织数
-- denominator: 重点领域社会组织数
-- @value
SELECT scope AS city_code, key_sector_covered AS num, key_sector AS den FROM m_org_agg
-- @rows 重点领域社会组织（分母），“计入分子”为建立党组织或有统战工作联络员的
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.org_type AS 组织类型, o.sector AS 所属领域,
       o.has_party_org AS 是否建立党组织, o.has_liaison AS 是否有统战工作联络员, os.covered AS 计入分子
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
JOIN m_org_scope os ON os.scope = s.scope AND os.credit_code = o.credit_code
WHERE s.scope = ? AND os.key_sector
ORDER BY os.covered DESC, o.credit_code, o.city_code
