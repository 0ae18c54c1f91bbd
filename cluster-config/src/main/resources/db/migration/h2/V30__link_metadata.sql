-- Metadata of resolved links per (service, id), refreshed after a TTL. Stream URLs are not kept.
CREATE TABLE IF NOT EXISTS link_metadata (
  service VARCHAR(64) NOT NULL,
  media_id VARCHAR(512) NOT NULL,
  url VARCHAR(2048) NOT NULL,
  title VARCHAR(250),
  duration DOUBLE PRECISION,
  thumbnail VARCHAR(2048),
  fetched_at BIGINT NOT NULL,
  PRIMARY KEY (service, media_id)
);
