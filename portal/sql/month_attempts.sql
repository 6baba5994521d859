-- Every attempt of a month, in the order received.
SELECT id, coalesce(city_code, ''), outcome, errors, filed_on, received_at, file_name
FROM submissions WHERE month = ? ORDER BY id;
