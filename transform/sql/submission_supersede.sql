-- The earlier accepted submission of a city-month gives way to a newer one.
UPDATE submissions SET outcome = 'superseded', superseded_by = ? WHERE id = ? AND outcome = 'accepted';
