-- The room directory, written by the room-directory projection.
CREATE TABLE IF NOT EXISTS room_directory (
  room_id VARCHAR(32) PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  description VARCHAR(1100) NOT NULL,
  owner_id VARCHAR(32) NOT NULL,
  visibility VARCHAR(16) NOT NULL,
  temporary BOOLEAN NOT NULL,
  members_online INTEGER NOT NULL,
  now_playing_title VARCHAR(250),
  now_playing_url VARCHAR(2100),
  created_at BIGINT NOT NULL,
  last_activity BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS room_directory_listing_idx ON room_directory (visibility, members_online, last_activity);
CREATE INDEX IF NOT EXISTS room_directory_owner_idx ON room_directory (owner_id, last_activity);
