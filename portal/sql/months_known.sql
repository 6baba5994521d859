-- Months with attempts or locks, newest first.
SELECT month FROM (SELECT month FROM submissions WHERE month IS NOT NULL UNION SELECT month FROM portal.month_locks) ORDER BY month DESC;
