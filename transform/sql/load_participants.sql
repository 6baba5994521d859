-- Copies a workbook's participants from its registered Arrow view (read once).
INSERT INTO participants BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, ?::VARCHAR AS month, * FROM ufa_arrow_participants;
