-- name: ranking
-- description: 某月各市综合得分与排名（只列本月已报送、参加排名的市，按名次排列），附党的工作覆盖率等主要指标
-- needs: metrics
-- param: month (必填) 报送月份，YYYY-MM
--
-- Reads the stored values of ufa metrics (indicator_values), so it shows
-- exactly what the dashboards and the report show. Score rounded to two
-- decimals as people see it; rates are fractions at full precision (a
-- column ending in 率 is shown as a percentage with one decimal in table
-- and formatted 0.0% in xlsx).
WITH v AS (
    SELECT city_code, city_name,
           max(value) FILTER (WHERE indicator = 'rank')               AS rank,
           max(value) FILTER (WHERE indicator = 'score')              AS score,
           max(value) FILTER (WHERE indicator = 'work_coverage')      AS work_coverage,
           max(value) FILTER (WHERE indicator = 'party_org_coverage') AS party_org_coverage,
           max(value) FILTER (WHERE indicator = 'org_count')          AS org_count,
           max(value) FILTER (WHERE indicator = 'rep_count')          AS rep_count,
           max(value) FILTER (WHERE indicator = 'on_time')            AS on_time
    FROM indicator_values
    WHERE month = $month
    GROUP BY city_code, city_name
)
SELECT rank::INTEGER                    AS 排名,
       city_code                        AS 城市代码,
       city_name                        AS 城市,
       round(score, 2)                  AS 综合得分,
       work_coverage                    AS 党的工作覆盖率,
       party_org_coverage               AS 党的组织覆盖率,
       org_count::BIGINT                AS 社会组织数,
       rep_count::BIGINT                AS 代表人士数,
       on_time = 1                      AS 按时报送
FROM v
WHERE rank IS NOT NULL
ORDER BY rank
