-- Copies a workbook's mechanisms from its registered Arrow view (read once).
INSERT INTO mechanisms BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, ?::VARCHAR AS month, * FROM ufa_arrow_mechanisms;
