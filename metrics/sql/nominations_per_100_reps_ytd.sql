-- name: 每百名代表人士提名举荐人次（年度累计）
-- unit: ratio
-- group: 建言献策与提名举荐
-- order: 540
-- province: union
-- window: ytd
-- scale: 100
-- numerator: 提名举荐人次（年度累计）
-- denominator: 代表人士数
-- @value
WITH g AS (SELECT scope, count(*) FILTER (WHERE in_ytd) AS n FROM m_nom_scope GROUP BY scope),
     r AS (SELECT scope, rep_rows AS n FROM m_rep_agg)
SELECT sc.scope AS city_code, coalesce(g.n, 0) AS num, coalesce(r.n, 0) AS den
FROM m_scopes sc LEFT JOIN g ON g.scope = sc.scope LEFT JOIN r ON r.scope = sc.scope
-- @rows 本年提名举荐（分子）
SELECT g.city_name AS 填报城市, g.month AS 报送月份, g.date AS 举荐日期, g.id_masked AS 被举荐人公民身份号码,
       g.target AS 举荐方向, g.level AS 层级, g.outcome AS 结果
FROM m_nom_scope g
WHERE g.scope = ? AND g.in_ytd
ORDER BY g.city_code, g.date, g.id_masked
-- @rows 代表人士（分母）
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
WHERE s.scope = ?
ORDER BY r.id_masked, r.city_code
