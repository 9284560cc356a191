-- A retrain policy may train its challenger as the best of a small sweep around the champion's
-- settings (mode 'sweep', with its trial count) rather than with those settings as they are
-- ('same', what every policy saved before did). A decision names the sweep it came from.
ALTER TABLE retrain_policies ADD COLUMN mode TEXT NOT NULL DEFAULT 'same' CHECK (mode IN ('same', 'sweep'));
ALTER TABLE retrain_policies ADD COLUMN sweep_trials INTEGER NOT NULL DEFAULT 8 CHECK (sweep_trials >= 1);
ALTER TABLE retrain_decisions ADD COLUMN sweep_id TEXT;
