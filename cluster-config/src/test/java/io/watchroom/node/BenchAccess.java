package io.watchroom.node;

import java.net.http.HttpClient;

/** What the benchmarks in the bench package use from the cluster tests' helpers. */
public final class BenchAccess {
  private BenchAccess() {}

  public static String guest(HttpClient http, String base, int n) throws Exception {
    return Watcher.guest(http, base, n);
  }
}
