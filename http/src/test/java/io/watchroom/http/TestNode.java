package io.watchroom.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.watchroom.core.room.Room;
import io.watchroom.core.room.RoomConfig;
import io.watchroom.http.auth.Authentication;
import io.watchroom.http.auth.Authenticator;
import io.watchroom.http.auth.SessionTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;

/**
 * One Watchroom node in this JVM: a one-member cluster, in-memory journal and accounts, HTTP on a
 * free port; plus the calls a browser makes before it opens a socket.
 */
public final class TestNode implements AutoCloseable {

  final ActorSystem<Void> system;
  final ServerBinding binding;
  private final Authenticator authenticator;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestNode(ActorSystem<Void> system, ServerBinding binding, Authenticator authenticator) {
    this.system = system;
    this.binding = binding;
    this.authenticator = authenticator;
  }

  /** A socket flow of this node, to drive without a network connection. */
  RoomSocket roomSocket() {
    return new RoomSocket(system, HttpSettings.fromConfig(system.settings().config()), InstantSource.system(), authenticator, new UnprobedLinks());
  }

  static TestNode start(String name, Config overrides) throws Exception {
    Config config =
        overrides
            .withFallback(ConfigFactory.parseResources("test-node.conf"))
            .withFallback(PersistenceTestKitPlugin.getInstance().config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Room.init(system, RoomConfig.fromConfig(config), InstantSource.system());
    HttpSettings settings = HttpSettings.fromConfig(config);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    var blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    InMemoryAccountStore accounts = new InMemoryAccountStore();
    Authenticator authenticator =
        new Authenticator(
            new SessionTokens(secret, Json.mapper(system)), accounts, InstantSource.system(), blocking,
            Duration.ofDays(30), Duration.ofSeconds(30));
    RoomQueries queries = readSide(system, name, blocking);
    Authentication authentication = new Authentication(authenticator);
    ServerBinding binding =
        new WatchroomHttpServer(
                system,
                settings,
                java.util.List.of(
                    new io.watchroom.http.auth.AuthRoutes(authentication, accounts, Json.mapper(system), settings, InstantSource.system(), queries, ClientAddresses.fromConfig(system.settings().config())).routes(),
                    new RoomRoutes(system, settings, InstantSource.system(), authentication, queries, new UnprobedLinks()).routes()))
            .start()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return new TestNode(system, binding, authenticator);
  }

  /**
   * Read models in an in-memory H2 database with the node's real migrations (from the
   * cluster-config module); history from the in-memory journal. The projections themselves are
   * tested on a full node.
   */
  private static RoomQueries readSide(ActorSystem<?> system, String name, java.util.concurrent.Executor blocking) {
    org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    java.nio.file.Path migrations =
        java.nio.file.Path.of("..", "cluster-config", "src", "main", "resources", "db", "migration", "h2").toAbsolutePath();
    org.flywaydb.core.Flyway.configure()
        .dataSource(dataSource)
        .locations("filesystem:" + migrations)
        .load()
        .migrate();
    return new RoomQueries(
        new io.watchroom.core.directory.RoomDirectory(dataSource, Duration.ofHours(24)),
        new io.watchroom.core.chat.ChatHistory(dataSource),
        new io.watchroom.core.room.RoomHistory(system, org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal.Identifier()),
        blocking);
  }

  static TestNode start(String name) throws Exception {
    return start(name, ConfigFactory.empty());
  }

  int port() {
    return binding.localAddress().getPort();
  }

  String httpBase() {
    return "http://127.0.0.1:" + port();
  }

  String wsUrl(String roomId) {
    return "ws://127.0.0.1:" + port() + "/api/rooms/" + roomId + "/ws";
  }

  /** A guest session's token, as {@code POST /api/session} gives it. */
  String guest(String name) throws Exception {
    HttpResponse<String> response = post("/api/session", "{\"name\":\"" + name + "\"}", null);
    if (response.statusCode() != 201) {
      throw new AssertionError("session: " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body()).get("token").asText();
  }

  /** A room owned by the holder of {@code token}. */
  String createRoom(String token, String body) throws Exception {
    HttpResponse<String> response = post("/api/rooms", body, token);
    if (response.statusCode() != 201) {
      throw new AssertionError("create room: " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body()).get("id").asText();
  }

  HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(httpBase() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpBase() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(HttpResponse<String> response) throws Exception {
    return WsClient.JSON.readTree(response.body());
  }

  @Override
  public void close() throws Exception {
    binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
