-- One table as Parquet under month=YYYY-MM/city=<6-digit code>/ folders
-- ($1 the folder, $2 the table).
COPY (SELECT * EXCLUDE (city_code), city_code AS city FROM query_table($2::VARCHAR))
TO $1 (FORMAT parquet, PARTITION_BY (month, city));
