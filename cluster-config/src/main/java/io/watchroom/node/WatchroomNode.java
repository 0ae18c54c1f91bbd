package io.watchroom.node;

import com.typesafe.config.Config;
import io.watchroom.core.room.Room;
import io.watchroom.core.room.RoomConfig;
import io.watchroom.core.chat.ChatHistory;
import io.watchroom.core.directory.RoomDirectory;
import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.room.RoomHistory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.extraction.DestinationGuard;
import io.watchroom.extraction.EgressProxy;
import io.watchroom.extraction.LinkMetadataStore;
import io.watchroom.extraction.MediaProxy;
import io.watchroom.extraction.MediaResolver;
import io.watchroom.extraction.ProxyTokens;
import io.watchroom.extraction.SegmentCache;
import io.watchroom.extraction.Upstream;
import io.watchroom.http.RoomRoutes;
import io.watchroom.http.auth.AuthRoutes;
import io.watchroom.http.links.LinkRoutes;
import io.watchroom.http.links.Links;
import io.watchroom.http.links.LocalVideos;
import org.apache.pekko.http.javadsl.server.Route;
import io.watchroom.http.ClientAddresses;
import io.watchroom.http.HttpSettings;
import io.watchroom.http.RoomQueries;
import java.util.function.Supplier;
import io.watchroom.http.Json;
import io.watchroom.http.auth.AccountStore;
import io.watchroom.http.auth.Authentication;
import io.watchroom.http.auth.Authenticator;
import io.watchroom.http.auth.SessionTokens;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.DispatcherSelector;
import io.watchroom.core.video.Video;
import io.watchroom.core.video.VideoCatalog;
import io.watchroom.core.video.VideoCatalogProjection;
import io.watchroom.core.video.VideoSettings;
import io.watchroom.http.VideoRoutes;
import io.watchroom.http.video.SessionOwner;
import io.watchroom.transcoding.JobSlots;
import io.watchroom.transcoding.LadderSettings;
import io.watchroom.transcoding.MediaPrograms;
import io.watchroom.transcoding.TranscodeJob;
import io.watchroom.transcoding.TranscodeProjection;
import io.watchroom.transcoding.TranscodeSettings;
import io.watchroom.transcoding.store.MediaStore;
import io.watchroom.transcoding.store.MediaStores;
import io.watchroom.http.WatchroomHttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.watchroom.http.ClientSession;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Watchroom node: migrates the database, starts the actor system, joins the cluster (or forms
 * one of its own), starts room sharding and serves HTTP. The same code runs the embedded single
 * node and every member of a cluster; only configuration differs.
 */
public final class WatchroomNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WatchroomNode.class);
  public static final String SYSTEM_NAME = "watchroom";
  /** The journal's query side, which projections and history read. */
  public static final String READ_JOURNAL = "jdbc-read-journal";

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final Config config;
  private final ReadModelDatabase readModels;
  private final MediaStore mediaStore;
  private final Videos videos;
  private final ServerBinding metrics;
  private final Integer managementPort;

  private WatchroomNode(
      ActorSystem<Void> system,
      ServerBinding binding,
      Config config,
      ReadModelDatabase readModels,
      MediaStore mediaStore,
      Videos videos,
      ServerBinding metrics,
      Integer managementPort) {
    this.videos = videos;
    this.system = system;
    this.binding = binding;
    this.config = config;
    this.readModels = readModels;
    this.mediaStore = mediaStore;
    this.metrics = metrics;
    this.managementPort = managementPort;
  }

  /** How many transcoding jobs this node is running now. */
  public int runningTranscodes() {
    return videos.slots().inUse();
  }

  /** Where this node keeps uploads and published media. */
  public MediaStore mediaStore() {
    return mediaStore;
  }

  public static WatchroomNode start(Config config) throws Exception {
    // First of all: Kamon's agent must see Pekko's (and the database driver's) classes load.
    NodeMetrics.init(config);
    Path dataDir = Path.of(config.getString("watchroom.data-dir"));
    Files.createDirectories(dataDir.resolve("media"));
    DatabaseMigrations.migrate(config);

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
    ReadModelDatabase readModels = new ReadModelDatabase(config);
    system.getWhenTerminated().thenRun(readModels::close);
    try {
      String node = nodeName(system);
      NodeLogging.identify(node);
      ServerBinding metrics = null;
      if (config.getBoolean("watchroom.metrics.enabled")) {
        metrics = NodeMetrics.serve(system, config).toCompletableFuture().get(30, TimeUnit.SECONDS);
        system.systemActorOf(
            ActiveRooms.create(node, config.getDuration("watchroom.metrics.rooms-sample-interval")),
            "active-rooms",
            Props.empty());
      }
      Integer managementPort = null;
      if (config.getBoolean("watchroom.management.enabled")) {
        managementPort =
            PekkoManagement.get(system.classicSystem()).start().toCompletableFuture().get(30, TimeUnit.SECONDS).port();
      }
      joinCluster(system, config);
      InstantSource clock = InstantSource.system();
      RoomConfig roomConfig = RoomConfig.fromConfig(config);
      Room.init(system, roomConfig, clock);
      Supplier<DatabaseSession> sessions = () -> new DatabaseSession(readModels.dataSource());
      RoomDirectory.init(system, sessions, READ_JOURNAL);
      ChatHistory.init(system, sessions, READ_JOURNAL);
      HttpSettings http = HttpSettings.fromConfig(config);
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      AccountStore accounts = new JdbcAccountStore(readModels.dataSource());
      Authenticator authenticator =
          new Authenticator(
              new SessionTokens(ServerSecret.load(config), Json.mapper(system)),
              accounts,
              clock,
              blocking,
              config.getDuration("watchroom.auth.session-ttl"),
              config.getDuration("watchroom.auth.revocation-delay"));
      RoomQueries queries =
          new RoomQueries(
              new RoomDirectory(readModels.dataSource(), roomConfig.temporaryTtl()),
              new ChatHistory(readModels.dataSource()),
              new RoomHistory(system, READ_JOURNAL),
              blocking);
      MediaStore store = MediaStores.fromConfig(system, config);
      Videos videos = startVideos(system, config, clock, store, readModels, authenticator);
      byte[] secret = ServerSecret.load(config);
      Links links = startLinks(system, config, clock, readModels, secret, http.askTimeout());
      Authentication authentication = new Authentication(authenticator);
      ObjectMapper mapper = Json.mapper(system);
      List<Route> api =
          List.of(
              new AuthRoutes(authentication, accounts, mapper, http, clock, queries, ClientAddresses.fromConfig(config)).routes(),
              new RoomRoutes(system, http, clock, authentication, queries, links).routes(),
              new VideoRoutes(system, http, videos.services()).routes(),
              new LinkRoutes(links, authentication, http, mapper).routes());
      ServerBinding binding =
          new WatchroomHttpServer(system, http, api)
              .start()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      leaveGracefully(system, binding);
      ServingCheck.Serving.ID.get(system.classicSystem()).set(true);
      return new WatchroomNode(system, binding, config, readModels, store, videos, metrics, managementPort);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }

  /**
   * Uploads and transcoding: the Video entity, the catalog projection (exactly-once) and the
   * transcoding projection (at-least-once, jobs on every node up to the configured concurrency).
   * A node without ffmpeg or ffprobe refuses to start, naming the missing program.
   */
  private record Videos(VideoRoutes.Services services, JobSlots slots) {}

  private static Videos startVideos(
      ActorSystem<?> system,
      Config config,
      InstantSource clock,
      MediaStore store,
      ReadModelDatabase readModels,
      Authenticator authenticator) {
    VideoSettings videoSettings = VideoSettings.fromConfig(config);
    MediaPrograms programs =
        MediaPrograms.locate(
            config.getString("watchroom.media.ffmpeg"),
            config.getString("watchroom.media.ffprobe"),
            config.getInt("watchroom.media.nice"));
    TranscodeSettings transcode = TranscodeSettings.fromConfig(config);
    JobSlots slots = new JobSlots(transcode.concurrency());
    Video.init(system, videoSettings, clock);
    VideoCatalogProjection.init(system, readModels.dataSource(), READ_JOURNAL);
    TranscodeProjection.init(
        system,
        readModels.dataSource(),
        READ_JOURNAL,
        new TranscodeJob(system, store, programs, LadderSettings.fromConfig(config), transcode),
        slots);
    return new Videos(
        new VideoRoutes.Services(
            store,
            new VideoCatalog(readModels.dataSource()),
            new SessionOwner(authenticator),
            videoSettings.maxUploadBytes(),
            ClientAddresses.fromConfig(config)),
        slots);
  }

  /**
   * Pasted links: the destination guard every fetch goes through, the egress proxy for the
   * programs the resolver runs, the resolver with its metadata table, and the media proxy with
   * its caches. Proxy links are signed with a key derived from the server secret.
   */
  private static Links startLinks(
      ActorSystem<?> system, Config config, InstantSource clock, ReadModelDatabase readModels, byte[] secret, Duration askTimeout)
      throws Exception {
    Config fetch = config.getConfig("watchroom.fetch");
    Config resolve = config.getConfig("watchroom.resolve");
    Config proxy = config.getConfig("watchroom.proxy");
    DestinationGuard guard = DestinationGuard.fromConfig(config);
    Upstream upstream =
        new Upstream(system, guard, fetch.getDuration("connect-timeout"), fetch.getDuration("response-timeout"),
            fetch.getInt("connections-per-host"));
    EgressProxy egress = EgressProxy.start(system, guard);
    system.getWhenTerminated().thenRun(egress::close);
    String ffprobe = config.getString("watchroom.media.ffprobe").isBlank() ? "ffprobe" : config.getString("watchroom.media.ffprobe");
    MediaResolver resolver =
        MediaResolver.create(
            system, upstream, egress, resolve.getString("yt-dlp"), ffprobe, resolve.getDuration("probe-timeout"),
            Optional.of(new LinkMetadataStore(readModels.dataSource())),
            new MediaResolver.Settings(
                resolve.getDuration("timeout"), resolve.getDuration("stream-ttl"), resolve.getDuration("metadata-ttl"),
                resolve.getDuration("search-ttl"), resolve.getInt("playlist-cap"), resolve.getInt("search-results"),
                resolve.getBoolean("proxy-direct-files"), resolve.getString("oembed.youtube"),
                resolve.getString("oembed.vimeo"), resolve.getString("oembed.dailymotion")),
            clock);
    ProxyTokens tokens =
        new ProxyTokens(ServerSecret.derive(secret, "media proxy links"), clock, proxy.getDuration("token-lifetime").toMillis());
    SegmentCache cache =
        new SegmentCache(proxy.getBytes("memory-cache"), Path.of(proxy.getString("disk-cache-dir")), proxy.getBytes("disk-cache"));
    MediaProxy media =
        new MediaProxy(system, upstream, tokens, resolver, cache,
            new MediaProxy.Settings(proxy.getBytes("max-cached-object"), proxy.getInt("prefetch-segments"), proxy.getBytes("max-manifest")));
    return new Links(resolver, media, Optional.of(new LocalVideos(ClusterSharding.get(system), askTimeout)));
  }

  /**
   * What SIGTERM (coordinated shutdown) does before the cluster leave that Pekko does by itself:
   * readiness turns false at once, so load balancers stop sending new connections; the HTTP port
   * stops accepting; every session tells its client to reconnect (to another node) and closes;
   * connections still open after a grace period are cut. Then sharding hands this node's rooms off
   * (messages to them are buffered and delivered where they start next), and the node leaves.
   */
  private static void leaveGracefully(ActorSystem<?> system, ServerBinding binding) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "watchroom-not-ready",
        () -> {
          ServingCheck.Serving.ID.get(system.classicSystem()).set(false);
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "watchroom-unbind-and-send-clients-away",
        () ->
            binding
                .unbind()
                .thenApply(
                    done -> {
                      system.eventStream().tell(new EventStream.Publish<>(new ClientSession.Drain(ClientSession.Drain.SHUTDOWN)));
                      return Done.getInstance();
                    }));
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "watchroom-close-connections",
        () -> binding.terminate(Duration.ofSeconds(5)).thenApply(terminated -> Done.getInstance()));
  }

  /**
   * Seed nodes when they are configured; otherwise Cluster Bootstrap when it is on (contact points
   * from discovery; the lowest address forms a new cluster, later nodes join the existing one);
   * otherwise a cluster of this one node.
   */
  private static void joinCluster(ActorSystem<?> system, Config config) {
    Cluster cluster = Cluster.get(system);
    List<Address> seeds =
        Arrays.stream(config.getString("watchroom.cluster.seed-nodes").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(AddressFromURIString::parse)
            .toList();
    if (!seeds.isEmpty()) {
      cluster.manager().tell(new JoinSeedNodes(seeds));
    } else if (config.getBoolean("watchroom.cluster.bootstrap")) {
      if (!config.getBoolean("watchroom.management.enabled")) {
        throw new IllegalStateException(
            "Cluster bootstrap needs Pekko Management: set WATCHROOM_MANAGEMENT_ENABLED=true");
      }
      ClusterBootstrap.get(system.classicSystem()).start();
    } else {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
  }

  private static String nodeName(ActorSystem<?> system) {
    Address address = system.address();
    return address.getHost().orElse("local") + ":" + address.getPort().map(String::valueOf).orElse("0");
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public Config config() {
    return config;
  }

  /** The pool read models are written and queried through. */
  public javax.sql.DataSource readModels() {
    return readModels.dataSource();
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  /** The port of the Prometheus endpoint, if metrics are on. */
  public Optional<Integer> metricsPort() {
    return Optional.ofNullable(metrics).map(b -> b.localAddress().getPort());
  }

  /** The port of Pekko Management (health checks, bootstrap), if it runs. */
  public Optional<Integer> managementPort() {
    return Optional.ofNullable(managementPort);
  }

  /** The address people open in a browser. */
  public String publicAddress() {
    InetSocketAddress local = binding.localAddress();
    String host = local.getAddress().isAnyLocalAddress() ? "localhost" : local.getHostString();
    return "http://" + host + ":" + local.getPort() + "/";
  }

  /** Leaves the cluster gracefully (coordinated shutdown, as on SIGTERM) and stops. */
  @Override
  public void close() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    log.info("Node stopped");
  }
}
