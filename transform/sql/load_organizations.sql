-- Copies a workbook's organizations from its registered Arrow view (read once).
INSERT INTO organizations BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, ?::VARCHAR AS month, * FROM ufa_arrow_organizations;
