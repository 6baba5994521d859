-- name: 最近一次报送错误数
-- unit: count
-- group: 报送情况
-- order: 630
-- province: sum
-- Errors found in the city's latest attempt for the month (the
-- warehouse's latest_attempts; null when it made none), the true total even
-- when the listing of one code was cut short; the province's value is the
-- sum over the cities that made one.
-- @value
WITH c AS (SELECT l.city_code, l.errors AS v
           FROM latest_attempts l JOIN m_city c ON c.city_code = l.city_code, m_params p
           WHERE l.month = p.month)
SELECT city_code, v AS num, NULL AS den FROM c
UNION ALL
SELECT (SELECT province FROM m_params), sum(v), NULL FROM c HAVING count(*) > 0
-- @rows 本月报送记录（最后一次的错误数计入）
SELECT a.city_name AS 填报城市, a.seq AS 第几次, a.file_name AS 文件名, a.received_at AS 接收时间,
       a.filed_on AS 填报日期, a.outcome_name AS 结果, a.errors AS 错误数, a.warnings AS 警告数
FROM m_attempt a JOIN (SELECT city_code, city_code AS scope FROM m_city
                       UNION ALL SELECT city_code, (SELECT province FROM m_params) FROM m_city) s ON s.city_code = a.city_code
WHERE s.scope = ?
ORDER BY a.city_code, a.seq
