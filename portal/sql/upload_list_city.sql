-- A city's uploads, newest first.
SELECT id FROM portal.uploads WHERE city_code = ? ORDER BY id DESC LIMIT 200;
