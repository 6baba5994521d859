-- Copies a workbook's cover from its registered Arrow view (read once); the
-- month is the cover's own.
INSERT INTO cover BY NAME
SELECT ?::BIGINT AS submission_id, ?::VARCHAR AS city_code, * FROM ufa_arrow_cover;
