-- name: 党外从业人员数
-- unit: count
-- group: 组织覆盖
-- order: 180
-- province: union
-- Sum of non_party_staff, each organization once (the larger figure when
-- two cities report it).
-- @value
SELECT scope AS city_code, non_party_staff AS num, NULL AS den FROM m_org_agg
-- @rows 社会组织的党外从业人员
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.non_party_staff AS 党外从业人员数
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
WHERE s.scope = ?
ORDER BY o.credit_code, o.city_code
