-- name: 重点领域社会组织数
-- unit: count
-- group: 组织覆盖
-- order: 150
-- province: union
-- Key sectors of §14: 律师, 公证, 会计, 资产评估, 行业协会商会, and private
-- non-enterprise units in 科技, 教育, 文化, 卫生, 体育 (m_org.key_sector,
-- defined once in inputs.sql).
-- @value
SELECT scope AS city_code, key_sector AS num, NULL AS den FROM m_org_agg
-- @rows 重点领域社会组织
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.org_type AS 组织类型, o.sector AS 所属领域
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
WHERE s.scope = ? AND o.key_sector
ORDER BY o.credit_code, o.city_code
