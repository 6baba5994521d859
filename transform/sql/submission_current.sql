-- The current accepted submission of a city and month.
SELECT id, file_name FROM submissions WHERE outcome = 'accepted' AND city_code = ? AND month = ?;
