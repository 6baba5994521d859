-- A month's uploads (and the unfinished ones of any month), oldest first.
SELECT id FROM portal.uploads WHERE month = ? OR state <> 'done' ORDER BY id;
