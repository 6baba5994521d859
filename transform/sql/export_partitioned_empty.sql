-- An empty sheet table as one empty Parquet file ($1 the file, $2 the
-- table) with the columns, in the order and types, of the files
-- export_partitioned writes: the table's columns but the partition ones.
COPY (SELECT * EXCLUDE (city_code, month) FROM query_table($2::VARCHAR) LIMIT 0)
TO $1 (FORMAT parquet);
