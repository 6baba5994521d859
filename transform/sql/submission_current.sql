-- The current accepted submission of a city and month, with its 填报日期
-- (an older workbook does not replace it).
SELECT id, file_name, filed_on FROM submissions WHERE outcome = 'accepted' AND city_code = ? AND month = ?;
