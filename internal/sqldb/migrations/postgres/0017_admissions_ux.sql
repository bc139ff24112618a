-- Admissions as candidates and staff live them (issue 11).
--
-- accounts.lang is the language the person chose on the site ('' until
-- they choose): the pages of every later visit speak it.

ALTER TABLE accounts ADD COLUMN lang TEXT NOT NULL DEFAULT '';

-- A withdrawn application no longer stops its candidate from applying
-- again to the same campaign: one live application (any state but
-- withdrawn) per person and campaign.
ALTER TABLE applications DROP CONSTRAINT applications_campaign_id_person_id_key;
CREATE UNIQUE INDEX applications_live ON applications (campaign_id, person_id) WHERE state <> 'withdrawn';
