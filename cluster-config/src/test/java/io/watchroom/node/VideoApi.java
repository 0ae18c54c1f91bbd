package io.watchroom.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.http.WsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/** The upload and video API as a test client speaks it: tus requests, video reads, SSE. */
final class VideoApi {

  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  final String base;
  final String token;

  VideoApi(WatchroomNode node, String token) {
    this(TestNodes.base(node), token);
  }

  /** A client of the node at {@code base} ("http://127.0.0.1:port/"). */
  VideoApi(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A client with a new guest session of the node at {@code base}. */
  static VideoApi guest(String base) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "api/session"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Uploader\"}"))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new AssertionError("session: " + response.statusCode() + " " + response.body());
    }
    return new VideoApi(base, WsClient.JSON.readTree(response.body()).get("token").asText());
  }

  /** A client with a new guest session of its own (POST /api/session). */
  static VideoApi guest(WatchroomNode node) throws Exception {
    return new VideoApi(node, TestNodes.guest(node, "Uploader"));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60));
  }

  /** tus creation; answers the new video id. */
  String create(String fileName, String title, long length) throws Exception {
    HttpResponse<String> created = send(
        request("api/uploads")
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", Long.toString(length))
            .header("Upload-Metadata", "filename " + b64(fileName) + (title == null ? "" : ",title " + b64(title)))
            .POST(HttpRequest.BodyPublishers.noBody()));
    if (created.statusCode() != 201) {
      throw new AssertionError("create: " + created.statusCode() + " " + created.body());
    }
    String location = created.headers().firstValue("Location").orElseThrow();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  HttpResponse<String> patch(String id, long offset, byte[] bytes) throws Exception {
    return send(
        request("api/uploads/" + id)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", Long.toString(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  long offset(String id) throws Exception {
    HttpResponse<String> head = send(request("api/uploads/" + id).header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (head.statusCode() != 200) {
      throw new AssertionError("head: " + head.statusCode());
    }
    return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
  }

  /** Uploads a whole file in chunks of {@code chunk} bytes; answers the video id. */
  String upload(Path file, String title, int chunk) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    String id = create(file.getFileName().toString(), title, bytes.length);
    long offset = 0;
    while (offset < bytes.length) {
      int end = (int) Math.min(bytes.length, offset + chunk);
      HttpResponse<String> patched = patch(id, offset, Arrays.copyOfRange(bytes, (int) offset, end));
      if (patched.statusCode() != 204) {
        throw new AssertionError("patch: " + patched.statusCode() + " " + patched.body());
      }
      offset = Long.parseLong(patched.headers().firstValue("Upload-Offset").orElseThrow());
    }
    return id;
  }

  JsonNode video(String id) throws Exception {
    HttpResponse<String> response = send(request("api/videos/" + id).GET());
    if (response.statusCode() != 200) {
      throw new AssertionError("get video: " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body());
  }

  /** One status event of the video's SSE stream, with when it arrived. */
  record Event(long receivedAtMillis, String type, JsonNode data) {}

  /** Reads the video's event stream until it ends (published, failed, deleted). */
  List<Event> events(String id, Duration limit) throws Exception {
    HttpResponse<java.io.InputStream> response =
        HTTP.send(request("api/videos/" + id + "/events").timeout(limit).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    List<Event> events = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      // an event is a block of field lines ended by a blank line; fields come in any order
      String type = "message";
      String data = null;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data = line.substring(5).strip();
        } else if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(System.currentTimeMillis(), type, WsClient.JSON.readTree(data)));
          }
          type = "message";
          data = null;
        }
      }
    }
    return events;
  }

  /** Polls GET /api/videos/{id} until {@code done} holds. */
  JsonNode awaitVideo(String id, Predicate<JsonNode> done, Duration limit) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < end) {
      last = video(id);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("video " + id + " did not get there in " + limit + "; last: " + last);
  }

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + (path.startsWith("/") ? path.substring(1) : path)));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
