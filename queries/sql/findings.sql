-- name: findings
-- description: 某月各市最近一次报送的问题清单（错误和警告，身份证号已脱敏），可据此通知各市更正
-- param: month (必填) 报送月份，YYYY-MM
-- param: city = 全省 城市名称或6位代码；全省（默认）列出全部的市
-- param: severity = all [all|error|warning] 只看错误（error）、只看警告（warning）或全部（all，默认）
--
-- The findings of each city's latest attempt of the month (the warehouse's
-- view latest_attempts; the very same file sent again is not an attempt),
-- in the order validate reports them.
WITH latest AS (
    SELECT id, city_code, city_name, file_name, outcome FROM latest_attempts WHERE month = $month
)
SELECT l.city_code                                                  AS 城市代码,
       l.city_name                                                  AS 城市,
       l.file_name                                                  AS 文件名,
       CASE f.severity WHEN 'error' THEN '错误' ELSE '警告' END       AS 类别,
       f.code                                                       AS 代码,
       f.sheet                                                      AS 工作表,
       f.excel_column || f.excel_row::VARCHAR                       AS 单元格,
       f.value                                                      AS 填写的值,
       f.message                                                    AS 说明
FROM latest l
JOIN findings f ON f.submission_id = l.id
WHERE ($city = '210000' OR l.city_code = $city)
  AND ($severity = 'all' OR f.severity = $severity)
ORDER BY l.city_code, f.seq
