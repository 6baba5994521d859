-- name: 代表人士培训覆盖率（年度累计）
-- unit: rate
-- group: 联系活动
-- order: 470
-- province: union
-- window: ytd
-- numerator: 本年参加过培训或研讨学习的代表人士数
-- denominator: 代表人士数
-- Current representatives who took part in at least one 培训 or 研讨学习
-- activity in the ytd window, divided by rep_count.
-- @value
SELECT scope AS city_code, trained_ytd AS num, reps AS den FROM m_rep_agg
-- @rows 代表人士（分母），“计入分子”为本年参加过培训或研讨学习的
WITH t AS (SELECT scope, id_hash, count(*) AS n FROM m_part_scope WHERE in_ytd AND type IN ('培训', '研讨学习') GROUP BY ALL)
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名,
       coalesce(t.n, 0) AS 本年参加培训研讨次数, t.n IS NOT NULL AS 计入分子
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
LEFT JOIN t ON t.scope = s.scope AND t.id_hash = r.id_hash
WHERE s.scope = ?
ORDER BY 计入分子 DESC, r.id_masked, r.city_code
