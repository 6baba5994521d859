-- The registered Arrow view is read once, at once.
INSERT INTO findings BY NAME
SELECT ?::BIGINT AS submission_id, * FROM ufa_arrow_findings;
