-- name: 提名举荐人次（年度累计）
-- unit: count
-- group: 建言献策与提名举荐
-- order: 530
-- province: union
-- window: ytd
-- Nominations dated in the ytd window, from the current accepted workbooks
-- of its months, whether or not the person is still listed.
-- @value
SELECT sc.scope AS city_code, count(g.date) FILTER (WHERE g.in_ytd) AS num, NULL AS den
FROM m_scopes sc LEFT JOIN m_nom_scope g ON g.scope = sc.scope
GROUP BY sc.scope
-- @rows 本年提名举荐
SELECT g.city_name AS 填报城市, g.month AS 报送月份, g.date AS 举荐日期, g.id_masked AS 被举荐人公民身份号码,
       g.target AS 举荐方向, g.level AS 层级, g.outcome AS 结果
FROM m_nom_scope g
WHERE g.scope = ? AND g.in_ytd
ORDER BY g.city_code, g.date, g.id_masked
