package io.watchroom.core.video;

import com.typesafe.config.Config;

/**
 * Per-node settings of the Video entity, from {@code watchroom.video}.
 *
 * @param maxUploadBytes the largest file an upload may declare
 * @param maxChunks how many separate chunks one upload may be sent in (each is an event and a
 *     stored part)
 * @param snapshotEvery take a snapshot after this many events
 * @param keepSnapshots how many snapshots to retain
 */
public record VideoSettings(long maxUploadBytes, int maxChunks, int snapshotEvery, int keepSnapshots) {

  public static VideoSettings fromConfig(Config config) {
    Config video = config.getConfig("watchroom.video");
    return new VideoSettings(
        video.getBytes("max-upload-size"),
        video.getInt("max-chunks"),
        video.getInt("snapshot-every"),
        video.getInt("keep-snapshots"));
  }
}
