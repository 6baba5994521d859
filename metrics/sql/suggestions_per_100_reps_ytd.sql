-- name: 每百名代表人士建言献策数（年度累计）
-- unit: ratio
-- group: 建言献策与提名举荐
-- order: 510
-- province: union
-- window: ytd
-- scale: 100
-- numerator: 建言献策数（年度累计）
-- denominator: 代表人士数
-- @value
WITH g AS (SELECT scope, count(*) FILTER (WHERE in_ytd) AS n FROM m_sugg_scope GROUP BY scope),
     r AS (SELECT scope, rep_rows AS n FROM m_rep_agg)
SELECT sc.scope AS city_code, coalesce(g.n, 0) AS num, coalesce(r.n, 0) AS den
FROM m_scopes sc LEFT JOIN g ON g.scope = sc.scope LEFT JOIN r ON r.scope = sc.scope
-- @rows 本年建言献策（分子）
SELECT g.city_name AS 填报城市, g.month AS 报送月份, g.date AS 报送日期, g.id_masked AS 建言人公民身份号码,
       g.title AS 标题, g.channel AS 报送渠道, g.adopted AS 是否被采纳
FROM m_sugg_scope g
WHERE g.scope = ? AND g.in_ytd
ORDER BY g.city_code, g.date, g.id_masked, g.title
-- @rows 代表人士（分母）
SELECT r.city_name AS 填报城市, r.id_masked AS 公民身份号码, r.name AS 姓名
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
WHERE s.scope = ?
ORDER BY r.id_masked, r.city_code
