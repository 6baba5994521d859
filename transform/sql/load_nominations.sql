-- Copies a workbook's nominations from its registered Arrow view (read once).
INSERT INTO nominations BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, ?::VARCHAR AS month, * FROM ufa_arrow_nominations;
