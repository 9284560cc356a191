-- What a sweep says to its user besides its trials (parallel trials lowered to fit in memory, a best
-- trial whose explanation failed): a JSON array of sentences, oldest first.
ALTER TABLE sweeps ADD COLUMN notes_json TEXT NOT NULL DEFAULT '[]';
