-- Copies a workbook's suggestions from its registered Arrow view (read once).
INSERT INTO suggestions BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, ?::VARCHAR AS month, * FROM ufa_arrow_suggestions;
