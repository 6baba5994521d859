-- name: 提名举荐成功率（年度累计）
-- unit: rate
-- group: 建言献策与提名举荐
-- order: 550
-- province: union
-- window: ytd
-- numerator: 结果为成功的提名举荐人次
-- denominator: 结果为成功或未成功的提名举荐人次
-- Pending nominations (待定) are in neither.
-- @value
SELECT sc.scope AS city_code,
       count(g.date) FILTER (WHERE g.in_ytd AND g.outcome = '成功') AS num,
       count(g.date) FILTER (WHERE g.in_ytd AND g.outcome IN ('成功', '未成功')) AS den
FROM m_scopes sc LEFT JOIN m_nom_scope g ON g.scope = sc.scope
GROUP BY sc.scope
-- @rows 本年有结果的提名举荐（分母），结果为成功的计入分子
SELECT g.city_name AS 填报城市, g.month AS 报送月份, g.date AS 举荐日期, g.id_masked AS 被举荐人公民身份号码,
       g.target AS 举荐方向, g.level AS 层级, g.outcome AS 结果
FROM m_nom_scope g
WHERE g.scope = ? AND g.in_ytd AND g.outcome IN ('成功', '未成功')
ORDER BY g.outcome = '成功' DESC, g.city_code, g.date, g.id_masked
