-- A command step's attempt points at its execution bundle (manifest.json and logs) on the host that ran it.
ALTER TABLE turn_attempt ADD COLUMN bundle VARCHAR(1024);
