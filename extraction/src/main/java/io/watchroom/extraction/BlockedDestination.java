package io.watchroom.extraction;

/** A destination the server refuses to fetch from (see {@link DestinationGuard}). */
public final class BlockedDestination extends Exception {
  public BlockedDestination(String message) {
    super(message, null, false, false);
  }
}
