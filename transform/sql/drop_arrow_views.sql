-- A registered Arrow view points at a stream that is released after the
-- copy: drop it so that nothing can scan it again.
DROP VIEW IF EXISTS ufa_arrow_cover;
DROP VIEW IF EXISTS ufa_arrow_organizations;
DROP VIEW IF EXISTS ufa_arrow_representatives;
DROP VIEW IF EXISTS ufa_arrow_activities;
DROP VIEW IF EXISTS ufa_arrow_participants;
DROP VIEW IF EXISTS ufa_arrow_suggestions;
DROP VIEW IF EXISTS ufa_arrow_nominations;
DROP VIEW IF EXISTS ufa_arrow_mechanisms;
DROP VIEW IF EXISTS ufa_arrow_findings;
