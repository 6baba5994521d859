UPDATE portal.uploads SET state = 'failed', note = ?, done_at = ? WHERE id = ?;
