package io.watchroom.node;

import java.util.List;
import java.util.Locale;

/**
 * How often an uploader's progress stream delivered updates while the video was transcoding,
 * counted per wall second of arrival: status events, and events whose progress differs from the
 * one before (the bar moved). A measurement, printed by the upload tests and recorded in
 * docs/benchmarks.md; how many arrive in a second depends on the machine's load.
 *
 * @param seconds whole wall seconds from the first to the last transcoding update
 * @param fewestEvents the fewest status events that arrived in any of those seconds
 * @param fewestMoves the fewest progress changes that arrived in any of those seconds
 */
record ProgressCadence(int seconds, int fewestEvents, int fewestMoves, int mostEvents) {

  static ProgressCadence of(List<VideoApi.Event> events) {
    List<VideoApi.Event> transcoding =
        events.stream()
            .filter(e -> e.data().get("status").asText().equals("transcoding"))
            .filter(e -> e.data().get("progress").asDouble() > 0 && e.data().get("progress").asDouble() < 100)
            .toList();
    if (transcoding.size() < 2) {
      return new ProgressCadence(0, 0, 0, 0);
    }
    long start = transcoding.get(0).receivedAtMillis();
    int seconds = (int) ((transcoding.get(transcoding.size() - 1).receivedAtMillis() - start) / 1000);
    if (seconds == 0) {
      return new ProgressCadence(0, transcoding.size(), transcoding.size(), transcoding.size());
    }
    int[] perSecond = new int[seconds];
    int[] movesPerSecond = new int[seconds];
    double previous = -1;
    for (VideoApi.Event event : transcoding) {
      int second = (int) ((event.receivedAtMillis() - start) / 1000);
      double progress = event.data().get("progress").asDouble();
      if (second < seconds) {
        perSecond[second]++;
        if (progress != previous) {
          movesPerSecond[second]++;
        }
      }
      previous = progress;
    }
    return new ProgressCadence(
        seconds,
        java.util.Arrays.stream(perSecond).min().orElse(0),
        java.util.Arrays.stream(movesPerSecond).min().orElse(0),
        java.util.Arrays.stream(perSecond).max().orElse(0));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "progress cadence over %d whole seconds of transcoding: %d to %d status events a second, at least %d moves of the bar a second",
        seconds, fewestEvents, mostEvents, fewestMoves);
  }
}
