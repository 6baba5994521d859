-- name: 重点联系人数
-- unit: count
-- group: 代表人士
-- order: 230
-- province: union
-- Representatives with key_contact (in any reporting city, for the province).
-- @value
SELECT scope AS city_code, key_contact AS num, NULL AS den FROM m_rep_agg
-- @rows 重点联系的代表人士
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       r.org_credit_code AS 所在组织统一社会信用代码
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
WHERE s.scope = ? AND r.key_contact
ORDER BY r.id_masked, r.city_code
