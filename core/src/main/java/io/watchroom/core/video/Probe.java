package io.watchroom.core.video;

import io.watchroom.core.JsonSerializable;

/**
 * What ffprobe found in an upload: the facts a ladder is planned from.
 *
 * @param duration seconds
 * @param width display width of the video stream (after rotation)
 * @param height display height of the video stream (after rotation)
 * @param frameRate frames per second of the video stream
 * @param hasAudio whether there is an audio stream to keep
 * @param container the container format ffprobe named (e.g. "mov,mp4,m4a,3gp,3g2,mj2")
 */
public record Probe(
    double duration, int width, int height, double frameRate, boolean hasAudio, String container)
    implements JsonSerializable {}
