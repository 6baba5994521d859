-- Copies a workbook's activities from its registered Arrow view (read once).
INSERT INTO activities BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, ?::VARCHAR AS month, * FROM ufa_arrow_activities;
