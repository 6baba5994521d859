-- name: rep_changes
-- description: 某月与上月相比新纳入和退出的代表人士，按市列出（只比较本月和上月都有被接收工作簿的市）
-- param: month (必填) 报送月份，YYYY-MM
-- param: city = 全省 城市名称或6位代码；全省（默认）列出全部可比较的市
--
-- Per city, the persons (by keyed ID hash) on this month's list and not on
-- the previous month's (新纳入), and the other way round (退出): the rows
-- behind rep_entries and rep_exits of each city. A person who moved
-- between two cities is an exit of one and an entry of the other here,
-- while the province's figure in ufa metrics counts neither.
WITH prev AS (
    SELECT strftime(CAST($month || '-01' AS DATE) - INTERVAL 1 MONTH, '%Y-%m') AS month
),
both_months AS (
    SELECT city_code FROM cur_submissions WHERE month = $month
    INTERSECT
    SELECT city_code FROM cur_submissions WHERE month = (SELECT month FROM prev)
),
cur AS (
    SELECT r.* FROM cur_representatives r
    WHERE r.month = $month AND r.city_code IN (SELECT city_code FROM both_months)
),
old AS (
    SELECT r.* FROM cur_representatives r
    WHERE r.month = (SELECT month FROM prev) AND r.city_code IN (SELECT city_code FROM both_months)
),
changes AS (
    SELECT '新纳入' AS change, c.* FROM cur c
    WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.city_code = c.city_code AND o.id_hash = c.id_hash)
    UNION ALL
    SELECT '退出' AS change, o.* FROM old o
    WHERE NOT EXISTS (SELECT 1 FROM cur c WHERE c.city_code = o.city_code AND c.id_hash = o.id_hash)
)
SELECT x.city_code         AS 城市代码,
       s.city_name         AS 城市,
       x.change            AS 变动,
       x.id_masked         AS 公民身份号码,
       x.name              AS 姓名,
       x.political_status  AS 政治面貌,
       g.name              AS 所在组织,
       x.org_credit_code   AS 所在组织统一社会信用代码,
       x.listed_on         AS 纳入名单日期
FROM changes x
JOIN cur_submissions s ON s.id = x.submission_id
LEFT JOIN cur_organizations g ON g.submission_id = x.submission_id AND g.credit_code = x.org_credit_code
WHERE $city = '210000' OR x.city_code = $city
ORDER BY x.city_code, x.change DESC, x.id_masked, x.excel_row
