-- Every room's chat, written by the chat-history projection.
CREATE TABLE IF NOT EXISTS room_chat (
  room_id VARCHAR(32) NOT NULL,
  message_id BIGINT NOT NULL,
  author_id VARCHAR(32) NOT NULL,
  author_name VARCHAR(200) NOT NULL,
  text VARCHAR(4000) NOT NULL,
  posted_at BIGINT NOT NULL,
  video_time DOUBLE PRECISION,
  item_id VARCHAR(32),
  PRIMARY KEY (room_id, message_id)
);

CREATE TABLE IF NOT EXISTS room_chat_reaction (
  room_id VARCHAR(32) NOT NULL,
  message_id BIGINT NOT NULL,
  emoji VARCHAR(32) NOT NULL,
  user_id VARCHAR(32) NOT NULL,
  reacted_at BIGINT NOT NULL,
  PRIMARY KEY (room_id, message_id, emoji, user_id)
);
