-- Each city's standing in a month, from the warehouse's own views (003
-- and 001) that on_time, submitted, error_count, ufa run's summary and the
-- report read: the attempts (the very same file sent again is none), the
-- latest attempt (its errors), the first accepted workbook (its 填报日期
-- against the deadline, on_time's rule: late when after it, or unknown)
-- and the current one (cur_submissions). The 填报日期 shown is the first
-- accepted workbook's, the one on_time judges, as in the report's 报送情况.
-- Cities without attempts are not listed (未报送).
WITH a AS (SELECT city_code, count(*) AS n FROM attempts WHERE month = $1 GROUP BY city_code),
     l AS (SELECT city_code, id, errors FROM latest_attempts WHERE month = $1),
     f AS (SELECT city_code, filed_on FROM first_accepted WHERE month = $1),
     c AS (SELECT city_code, id, filed_on FROM cur_submissions WHERE month = $1)
SELECT a.city_code, a.n, l.id, l.errors,
       f.city_code IS NOT NULL AND NOT coalesce(f.filed_on <= $2::DATE, false) AS late,
       coalesce(c.id, 0), f.filed_on
FROM a JOIN l ON l.city_code = a.city_code
LEFT JOIN f ON f.city_code = a.city_code
LEFT JOIN c ON c.city_code = a.city_code
ORDER BY a.city_code;
