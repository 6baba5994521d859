SELECT id FROM portal.uploads WHERE state = 'pending' ORDER BY id;
