-- Every stored original the uploads table knows.
SELECT DISTINCT sha256 FROM portal.uploads;
