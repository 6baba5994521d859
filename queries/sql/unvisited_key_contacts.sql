-- name: unvisited_key_contacts
-- description: 近三个月（本月和前两个月）没有参加过走访活动的重点联系人士，按市列出（身份证号只显示脱敏形式）
-- param: month (必填) 报送月份，YYYY-MM
-- param: city = 全省 城市名称或6位代码；全省（默认）列出全部报送的市
--
-- The complement of key_contact_visit_coverage_3m for each city: the key
-- contacts on the city's list of the month who took part in no 走访
-- activity of that city dated in the 3m window, counted from the city's
-- current accepted workbooks of the window's months (as metrics counts).
-- 最近一次走访日期 is the latest 走访 of the person in the city's
-- workbooks up to the month, empty when never.
WITH win AS (
    SELECT strftime(CAST($month || '-01' AS DATE) - INTERVAL 2 MONTH, '%Y-%m') AS first_month,
           CAST(CAST($month || '-01' AS DATE) - INTERVAL 2 MONTH AS DATE)     AS first_day,
           CAST(CAST($month || '-01' AS DATE) + INTERVAL 1 MONTH AS DATE)     AS next_day
),
visits AS (
    SELECT a.city_code, t.id_hash,
           max(a."date") AS last_visit,
           bool_or(a.month >= w.first_month AND a."date" >= w.first_day) AS in_3m
    FROM cur_participants t
    JOIN cur_activities a ON a.submission_id = t.submission_id AND a.activity_id = t.activity_id
    CROSS JOIN win w
    WHERE a."type" = '走访' AND a.month <= $month AND a."date" < w.next_day
    GROUP BY a.city_code, t.id_hash
)
SELECT r.city_code        AS 城市代码,
       s.city_name        AS 城市,
       r.id_masked        AS 公民身份号码,
       r.name             AS 姓名,
       o.name             AS 所在组织,
       r.org_credit_code  AS 所在组织统一社会信用代码,
       v.last_visit       AS 最近一次走访日期
FROM cur_representatives r
JOIN cur_submissions s ON s.id = r.submission_id
LEFT JOIN cur_organizations o ON o.submission_id = r.submission_id AND o.credit_code = r.org_credit_code
LEFT JOIN visits v ON v.city_code = r.city_code AND v.id_hash = r.id_hash
WHERE r.month = $month AND r.key_contact
  AND ($city = '210000' OR r.city_code = $city)
  AND NOT coalesce(v.in_3m, false)
ORDER BY r.city_code, r.id_masked, r.excel_row
