-- name: 担任人大代表、政协委员人数
-- unit: count
-- group: 代表人士
-- order: 250
-- province: union
-- Representatives whose npc_level or cppcc_level is other than 无 (m_rep.office).
-- @value
SELECT scope AS city_code, office AS num, NULL AS den FROM m_rep_agg
-- @rows 担任人大代表或政协委员的代表人士
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       r.org_credit_code AS 所在组织统一社会信用代码, r.npc_level AS 人大代表层级, r.cppcc_level AS 政协委员层级
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
WHERE s.scope = ? AND r.office
ORDER BY r.id_masked, r.city_code
