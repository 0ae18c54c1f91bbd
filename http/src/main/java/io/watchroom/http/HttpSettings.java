package io.watchroom.http;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the HTTP layer, from {@code watchroom.http}.
 *
 * @param maxFrameBytes largest text frame a client may send
 * @param outgoingBuffer frames queued for one client before it counts as too slow and is dropped
 * @param messagesPerSecond sustained client message rate; faster clients are read more slowly
 * @param messageBurst messages a client may send at once above the sustained rate
 * @param askTimeout how long a session or route waits for its room to answer
 * @param uploadTimeout how long one upload chunk (a tus PATCH) may take to arrive
 */
public record HttpSettings(
    String interfaceName,
    int port,
    int maxFrameBytes,
    int outgoingBuffer,
    int messagesPerSecond,
    int messageBurst,
    int maxRequestBytes,
    Duration askTimeout,
    Duration uploadTimeout) {

  public static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("watchroom.http");
    return new HttpSettings(
        http.getString("interface"),
        http.getInt("port"),
        (int) http.getBytes("websocket.max-frame-size").longValue(),
        http.getInt("websocket.outgoing-buffer"),
        http.getInt("websocket.messages-per-second"),
        http.getInt("websocket.message-burst"),
        (int) http.getBytes("max-request-size").longValue(),
        http.getDuration("ask-timeout"),
        http.getDuration("upload-timeout"));
  }

  public HttpSettings withPort(int newPort) {
    return new HttpSettings(
        interfaceName, newPort, maxFrameBytes, outgoingBuffer, messagesPerSecond, messageBurst,
        maxRequestBytes, askTimeout, uploadTimeout);
  }
}
