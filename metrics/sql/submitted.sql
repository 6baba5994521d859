-- name: 已报送
-- unit: flag
-- group: 报送情况
-- order: 600
-- province: count
-- 1 when the city has an accepted workbook for the month, else 0 (never
-- null); the province's value is the number of cities that submitted.
-- @value
SELECT c.city_code, CASE WHEN r.city_code IS NULL THEN 0 ELSE 1 END AS num, NULL AS den
FROM m_city c LEFT JOIN m_reporting r ON r.city_code = c.city_code
UNION ALL
SELECT (SELECT province FROM m_params), (SELECT count(*) FROM m_reporting), NULL
-- @rows 本月报送记录
SELECT a.city_name AS 填报城市, a.seq AS 第几次, a.file_name AS 文件名, a.received_at AS 接收时间,
       a.filed_on AS 填报日期, a.outcome_name AS 结果, a.errors AS 错误数, a.warnings AS 警告数
FROM m_attempt a JOIN (SELECT city_code, city_code AS scope FROM m_city
                       UNION ALL SELECT city_code, (SELECT province FROM m_params) FROM m_city) s ON s.city_code = a.city_code
WHERE s.scope = ?
ORDER BY a.city_code, a.seq
