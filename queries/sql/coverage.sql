-- name: coverage
-- description: 某月各市按组织类型的社会组织数、党的组织覆盖和党的工作覆盖情况，每市另有一行“合计”
-- param: month (必填) 报送月份，YYYY-MM
-- param: city = 全省 城市名称或6位代码；全省（默认）列出全部报送的市
--
-- From each city's current accepted workbook of the month. Counted per
-- city (the province's deduplicated figures are in ufa metrics). Work
-- coverage is 建立党组织 or 有统战工作联络员, as in metrics.md.
SELECT o.city_code                                                         AS 城市代码,
       s.city_name                                                         AS 城市,
       CASE WHEN grouping(o.org_type) = 1 THEN '合计'
            ELSE coalesce(o.org_type, '（未填写）') END                     AS 组织类型,
       count(*)                                                            AS 社会组织数,
       count(*) FILTER (WHERE o.has_party_org)                             AS 建立党组织数,
       count(*) FILTER (WHERE o.has_party_org) / count(*)                 AS 党的组织覆盖率,
       count(*) FILTER (WHERE o.has_party_org OR o.has_liaison)            AS 党的工作覆盖数,
       count(*) FILTER (WHERE o.has_party_org OR o.has_liaison) / count(*) AS 党的工作覆盖率
FROM cur_organizations o
JOIN cur_submissions s ON s.id = o.submission_id
WHERE o.month = $month AND ($city = '210000' OR o.city_code = $city)
GROUP BY GROUPING SETS ((o.city_code, s.city_name, o.org_type), (o.city_code, s.city_name))
ORDER BY o.city_code, grouping(o.org_type),
         coalesce(list_position(['社会团体', '民办非企业单位', '基金会', '市场中介机构'], o.org_type), 99)
