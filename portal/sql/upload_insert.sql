-- A received file, synced under DB.files before this row is written.
INSERT INTO portal.uploads (id, sha256, file_name, size, city_code, month, account, address, received_at, state)
VALUES (nextval('portal.upload_ids'), ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
RETURNING id;
