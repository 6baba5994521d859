UPDATE portal.accounts SET disabled = true, changed_at = ? WHERE name = ?;
