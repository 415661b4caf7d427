-- ours: SM1030
-- squawk: constraint-missing-not-valid
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);
