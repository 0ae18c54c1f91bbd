-- The video catalog read model, written by the video-catalog projection (VideoCatalogHandler).
CREATE TABLE video_catalog (
  id VARCHAR(32) NOT NULL PRIMARY KEY,
  owner VARCHAR(128) NOT NULL,
  title VARCHAR(200) NOT NULL,
  -- lower-case title for case-insensitive search
  title_search VARCHAR(200) NOT NULL,
  status VARCHAR(16) NOT NULL,
  duration DOUBLE PRECISION,
  width INT,
  height INT,
  poster VARCHAR(255),
  renditions VARCHAR(1000),
  views BIGINT NOT NULL DEFAULT 0,
  reason VARCHAR(2000),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX video_catalog_status_created ON video_catalog (status, created_at);
