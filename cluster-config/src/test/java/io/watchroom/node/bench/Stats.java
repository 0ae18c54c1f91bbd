package io.watchroom.node.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Percentiles of a sample, nearest-rank. */
public final class Stats {
  private Stats() {}

  public static double percentile(Collection<? extends Number> values, double p) {
    List<Double> sorted = new ArrayList<>();
    values.forEach(v -> sorted.add(v.doubleValue()));
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(Double::compare);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public static double median(Collection<? extends Number> values) {
    return percentile(values, 50);
  }

  static String ms(double nanosOrMs) {
    return String.format("%.1f", nanosOrMs);
  }
}
