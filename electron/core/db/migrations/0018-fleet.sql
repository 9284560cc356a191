-- The worker fleet (issue 15). Each run records where it trained: this machine, or the fleet with
-- the worker that finished it. A run sent to the fleet outlives its host: the next host to connect
-- takes its result in, so interruptOrphans leaves runs on the fleet alone.
ALTER TABLE runs ADD COLUMN ran_on TEXT NOT NULL DEFAULT 'local' CHECK (ran_on IN ('local', 'fleet'));
ALTER TABLE runs ADD COLUMN worker TEXT;

-- The fleet connection to open again and where work runs: one row. Never a password (an
-- environment variable's name at most; the keychain holds stored ones).
CREATE TABLE fleet_settings (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  queue_url    TEXT,
  password_env TEXT,
  store        TEXT,
  run_where    TEXT NOT NULL DEFAULT 'local' CHECK (run_where IN ('local', 'fleet', 'fleet-when-connected'))
) STRICT;
INSERT INTO fleet_settings (id) VALUES (1);
