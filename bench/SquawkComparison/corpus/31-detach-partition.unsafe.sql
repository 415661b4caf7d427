-- ours: SM1026
-- squawk: require-concurrent-partition-detach
ALTER TABLE events DETACH PARTITION events_2024;
