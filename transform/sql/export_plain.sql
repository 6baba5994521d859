-- One table as one Parquet file ($1 the file, $2 the table).
COPY (SELECT * FROM query_table($2::VARCHAR)) TO $1 (FORMAT parquet);
