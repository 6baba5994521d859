-- name: 每百个社会组织代表人士数
-- unit: ratio
-- group: 代表人士
-- order: 210
-- province: union
-- scale: 100
-- numerator: 代表人士数
-- denominator: 社会组织数
-- @value
SELECT o.scope AS city_code, r.rep_rows AS num, o.org_rows AS den
FROM m_org_agg o JOIN m_rep_agg r ON r.scope = o.scope
-- @rows 代表人士（分子）
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       r.org_credit_code AS 所在组织统一社会信用代码
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
WHERE s.scope = ?
ORDER BY r.id_masked, r.city_code
-- @rows 社会组织（分母）
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
WHERE s.scope = ?
ORDER BY o.credit_code, o.city_code
