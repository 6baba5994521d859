UPDATE submissions SET warnings = warnings + ? WHERE id = ?;
