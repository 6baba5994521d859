UPDATE portal.uploads SET state = 'done', submission_id = ?, outcome = ?, errors = ?, warnings = ?, report = ?, annotated = ?, note = ?, done_at = ?
WHERE id = ?;
