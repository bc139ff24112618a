-- Admissions as candidates and staff live them (issue 11).
--
-- accounts.lang is the language the person chose on the site ('' until
-- they choose): the pages of every later visit speak it.

ALTER TABLE accounts ADD COLUMN lang TEXT NOT NULL DEFAULT '';
