-- The current accepted submission of a city and month.
SELECT id FROM submissions WHERE outcome = 'accepted' AND city_code = ? AND month = ?;
