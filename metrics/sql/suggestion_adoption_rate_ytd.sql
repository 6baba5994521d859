-- name: 建言献策采纳率（年度累计）
-- unit: rate
-- group: 建言献策与提名举荐
-- order: 520
-- province: union
-- window: ytd
-- numerator: 被采纳的建言献策数（年度累计）
-- denominator: 建言献策数（年度累计）
-- @value
SELECT sc.scope AS city_code,
       count(g.date) FILTER (WHERE g.in_ytd AND g.adopted) AS num,
       count(g.date) FILTER (WHERE g.in_ytd) AS den
FROM m_scopes sc LEFT JOIN m_sugg_scope g ON g.scope = sc.scope
GROUP BY sc.scope
-- @rows 本年建言献策（分母），“是否被采纳”为是的计入分子
SELECT g.city_name AS 填报城市, g.month AS 报送月份, g.date AS 报送日期, g.id_masked AS 建言人公民身份号码,
       g.title AS 标题, g.channel AS 报送渠道, g.adopted AS 是否被采纳
FROM m_sugg_scope g
WHERE g.scope = ? AND g.in_ytd
ORDER BY g.adopted DESC, g.city_code, g.date, g.id_masked, g.title
