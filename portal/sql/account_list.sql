SELECT name, role, coalesce(city_code, ''), disabled, locked_until, created_at
FROM portal.accounts ORDER BY CASE role WHEN 'office' THEN 0 WHEN 'leader' THEN 1 ELSE 2 END, city_code, name;
