-- Every base table of the warehouse, and whether it can be partitioned by
-- month and city: both columns present and never null.
SELECT t.table_name,
       count(*) FILTER (WHERE c.column_name IN ('month', 'city_code') AND c.is_nullable = 'NO') = 2 AS partitioned
FROM information_schema.tables t
JOIN information_schema.columns c
  ON c.table_schema = t.table_schema AND c.table_name = t.table_name
WHERE t.table_schema = 'main' AND t.table_type = 'BASE TABLE'
GROUP BY t.table_name
ORDER BY t.table_name;
