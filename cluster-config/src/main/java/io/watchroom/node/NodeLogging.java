package io.watchroom.node;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Puts the node's cluster address into every log line (the logback context property {@code
 * node}, shown by the text pattern and written by the JSON encoder), next to the room and member
 * ids that sessions put in the MDC.
 */
final class NodeLogging {
  private NodeLogging() {}

  static void identify(String node) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.putProperty("node", node);
    }
  }
}
