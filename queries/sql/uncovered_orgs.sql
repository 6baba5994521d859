-- name: uncovered_orgs
-- description: 某月没有建立党组织、也没有统战工作联络员（党的工作未覆盖）的社会组织；lack=party 列出未建立党组织的，lack=liaison 列出没有联络员的
-- param: month (必填) 报送月份，YYYY-MM
-- param: city = 全省 城市名称或6位代码；全省（默认）列出全部报送的市
-- param: lack = both [both|party|liaison] 缺少什么：both 两者都没有（默认），party 未建立党组织，liaison 没有统战工作联络员
--
-- lack=both is the complement of work_covered_count, lack=party of
-- party_org_count (a blank 是否 cell counts as 否, as in metrics).
SELECT o.city_code                         AS 城市代码,
       s.city_name                         AS 城市,
       o.credit_code                       AS 统一社会信用代码,
       o.name                              AS 组织名称,
       o.org_type                          AS 组织类型,
       o.sector                            AS 所属领域,
       o.county                            AS 所在县区,
       o.staff_total                       AS 从业人员数,
       coalesce(o.has_party_org, false)    AS 是否建立党组织,
       coalesce(o.has_liaison, false)      AS 是否有统战工作联络员
FROM cur_organizations o
JOIN cur_submissions s ON s.id = o.submission_id
WHERE o.month = $month
  AND ($city = '210000' OR o.city_code = $city)
  AND CASE $lack
          WHEN 'party'   THEN NOT coalesce(o.has_party_org, false)
          WHEN 'liaison' THEN NOT coalesce(o.has_liaison, false)
          ELSE NOT coalesce(o.has_party_org OR o.has_liaison, false)
      END
ORDER BY o.city_code, o.credit_code
