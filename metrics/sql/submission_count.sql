-- name: 报送次数
-- unit: count
-- group: 报送情况
-- order: 620
-- province: sum
-- Attempts for the month, accepted or rejected (0 when none). Sending the
-- very same file again (outcome unchanged) is not a new attempt.
-- @value
WITH c AS (SELECT c.city_code, count(a.seq) AS v FROM m_city c LEFT JOIN m_attempt a ON a.city_code = c.city_code GROUP BY c.city_code)
SELECT city_code, v AS num, NULL AS den FROM c
UNION ALL
SELECT (SELECT province FROM m_params), sum(v), NULL FROM c
-- @rows 本月报送记录
SELECT a.city_name AS 填报城市, a.seq AS 第几次, a.file_name AS 文件名, a.received_at AS 接收时间,
       a.filed_on AS 填报日期, a.outcome_name AS 结果, a.errors AS 错误数, a.warnings AS 警告数
FROM m_attempt a JOIN (SELECT city_code, city_code AS scope FROM m_city
                       UNION ALL SELECT city_code, (SELECT province FROM m_params) FROM m_city) s ON s.city_code = a.city_code
WHERE s.scope = ?
ORDER BY a.city_code, a.seq
