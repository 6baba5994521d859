-- name: 重点联系人士人均走访次数（近三个月）
-- unit: ratio
-- group: 联系活动
-- order: 460
-- province: union
-- window: 3m
-- numerator: 重点联系人士参加走访活动人次（近三个月）
-- denominator: 重点联系人数
-- Participations (rows of 活动参加人员) of current key contacts in 走访
-- activities of the 3m window, divided by key_contact_count.
-- @value
SELECT scope AS city_code, key_contact_visits_3m AS num, key_contact_rows AS den FROM m_rep_agg
-- @rows 重点联系人士参加的走访活动（分子，每行一人次）
SELECT p.city_name AS 填报城市, p.month AS 报送月份, p.activity_id AS 活动编号, p.date AS 活动日期,
       p.id_masked AS 公民身份号码
FROM m_part_scope p JOIN m_rep_scope r ON r.scope = p.scope AND r.id_hash = p.id_hash
WHERE p.scope = ? AND p.in_3m AND p.type = '走访' AND r.key_contact
ORDER BY p.city_code, p.date, p.activity_id, p.id_masked
-- @rows 重点联系人士（分母）
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
JOIN m_rep_scope rs ON rs.scope = s.scope AND rs.id_hash = r.id_hash
WHERE s.scope = ? AND rs.key_contact
ORDER BY r.id_masked, r.city_code
