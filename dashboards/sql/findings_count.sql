-- How many findings one submission has.
SELECT count(*) FROM findings WHERE submission_id = ?
