-- name: 按时报送
-- unit: flag
-- group: 报送情况
-- order: 610
-- province: count
-- 1 when the 填报日期 of the city's first accepted workbook for the month
-- (the warehouse's first_accepted: the first, in the order ingest decided
-- the attempts, that was accepted, even if a later one has since replaced
-- it) is not after the deadline (the scheme's deadline
-- day of the next month), 0 when later or never; the province's value is
-- the number of cities on time.
-- @value
WITH f AS (SELECT a.city_code, a.filed_on FROM first_accepted a, m_params p WHERE a.month = p.month),
     c AS (SELECT c.city_code, CASE WHEN f.filed_on <= (SELECT deadline FROM m_params) THEN 1 ELSE 0 END AS v
           FROM m_city c LEFT JOIN f ON f.city_code = c.city_code)
SELECT city_code, v AS num, NULL AS den FROM c
UNION ALL
SELECT (SELECT province FROM m_params), sum(v), NULL FROM c
-- @rows 本月报送记录（以第一份被接收工作簿的填报日期与截止日期比较）
SELECT a.city_name AS 填报城市, a.seq AS 第几次, a.file_name AS 文件名, a.filed_on AS 填报日期,
       (SELECT deadline FROM m_params) AS 截止日期, a.outcome_name AS 结果,
       a.accepted AND a.seq = min(a.seq) FILTER (WHERE a.accepted) OVER (PARTITION BY a.city_code) AS 用于判断
FROM m_attempt a JOIN (SELECT city_code, city_code AS scope FROM m_city
                       UNION ALL SELECT city_code, (SELECT province FROM m_params) FROM m_city) s ON s.city_code = a.city_code
WHERE s.scope = ?
ORDER BY a.city_code, a.seq
