-- name: 从业人员数
-- unit: count
-- group: 组织覆盖
-- order: 170
-- province: union
-- Sum of staff_total, each organization once: when two cities report the
-- same organization the province takes the larger figure.
-- @value
SELECT scope AS city_code, staff_total AS num, NULL AS den FROM m_org_agg
-- @rows 社会组织的从业人员
SELECT o.city_name AS 填报城市, o.credit_code AS 统一社会信用代码, o.name AS 组织名称,
       o.staff_total AS 从业人员数
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
WHERE s.scope = ?
ORDER BY o.credit_code, o.city_code
