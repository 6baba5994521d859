-- name: submissions
-- description: 某月各市报送情况：是否报送、填报日期、是否按时、报送次数、最近一次的错误数和结果、填报人
-- needs: metrics
-- param: month (必填) 报送月份，YYYY-MM
--
-- All 14 cities in code order. 已报送, 按时报送, 报送次数 and 最近一次错误数
-- are the stored indicators (submitted, on_time, submission_count,
-- error_count), so they agree with the score. 填报日期 is that of the first
-- accepted workbook, the one on_time judges; 填报人 and 联系电话 come from
-- the current accepted workbook's cover. The first accepted workbook and
-- the latest attempt (the last that was not the very same file again) and
-- the words for its outcome are the warehouse's (first_accepted,
-- latest_attempts), in the order ingest decided the attempts.
WITH v AS (
    SELECT city_code, city_name,
           max(value) FILTER (WHERE indicator = 'submitted')        AS submitted,
           max(value) FILTER (WHERE indicator = 'on_time')          AS on_time,
           max(value) FILTER (WHERE indicator = 'submission_count') AS attempts,
           max(value) FILTER (WHERE indicator = 'error_count')      AS errors
    FROM indicator_values
    WHERE month = $month AND city_code <> '210000'
    GROUP BY city_code, city_name
),
first AS (
    SELECT city_code, filed_on FROM first_accepted WHERE month = $month
),
latest AS (
    SELECT city_code, outcome_name, file_name, received_at FROM latest_attempts WHERE month = $month
),
cover AS (
    SELECT c.city_code, c.filled_by, c.phone
    FROM cur_cover c JOIN cur_submissions s ON s.id = c.submission_id
    WHERE s.month = $month
)
SELECT v.city_code                 AS 城市代码,
       v.city_name                 AS 城市,
       v.submitted = 1             AS 已报送,
       f.filed_on                  AS 填报日期,
       v.on_time = 1               AS 按时报送,
       v.attempts::INTEGER         AS 报送次数,
       v.errors::INTEGER           AS 最近一次错误数,
       coalesce(l.outcome_name, '未报送') AS 最近一次结果,
       l.file_name                 AS 最近一次文件,
       l.received_at               AS 最近一次接收时间,
       c.filled_by                 AS 填报人,
       c.phone                     AS 联系电话
FROM v
LEFT JOIN first f ON f.city_code = v.city_code
LEFT JOIN latest l ON l.city_code = v.city_code
LEFT JOIN cover c ON c.city_code = v.city_code
ORDER BY v.city_code
