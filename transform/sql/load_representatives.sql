-- Copies a workbook's representatives from its registered Arrow view (read once).
INSERT INTO representatives BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, ?::VARCHAR AS month, * FROM ufa_arrow_representatives;
