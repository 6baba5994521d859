INSERT INTO submissions
    (id, file_name, sha256, city_code, city_name, month, filed_on, received_at, outcome, errors, warnings, same_as)
VALUES
    (nextval('submission_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;
