package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import com.typesafe.config.Config;
import io.watchroom.core.room.Room;
import io.watchroom.http.auth.AccountStore;
import io.watchroom.http.auth.AccountStore.StoredAccount;
import io.watchroom.http.auth.Authenticator;
import io.watchroom.http.auth.Identity;
import io.watchroom.http.auth.Passwords;
import io.watchroom.http.auth.SessionTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts and sessions in the node's database, on H2 and on PostgreSQL: registering, logging in,
 * logging out. Two nodes are two connection pools and two authenticators over the same tables, so
 * a logout on one is seen by the other within the configured revocation delay. Time is a hand-moved
 * clock, so passing that delay takes no waiting.
 */
class JdbcAccountStoreTest {

  private static final byte[] SECRET = "one secret shared by every node of the cluster".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dataDir;

  @Test
  void onTheEmbeddedDatabase() throws Exception {
    accountsAndSessions(TestNodes.h2(dataDir));
  }

  @Test
  void onPostgres() throws Exception {
    String schema = "wr_accounts_" + Room.randomToken(8).toLowerCase().replaceAll("[^a-z0-9]", "x");
    try {
      accountsAndSessions(TestNodes.postgres(dataDir, schema));
    } finally {
      TestNodes.dropSchema(schema);
    }
  }

  private void accountsAndSessions(Config config) throws Exception {
    DatabaseMigrations.migrate(config);
    Duration revocationDelay = config.getDuration("watchroom.auth.revocation-delay");
    Duration sessionTtl = config.getDuration("watchroom.auth.session-ttl");
    AtomicLong now = new AtomicLong(Instant.parse("2026-01-05T20:00:00Z").toEpochMilli());
    InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(now.get());
    ExecutorService blocking = Executors.newFixedThreadPool(4);
    try (ReadModelDatabase databaseA = new ReadModelDatabase(config);
        ReadModelDatabase databaseB = new ReadModelDatabase(config)) {
      AccountStore storeA = new JdbcAccountStore(databaseA.dataSource());
      AccountStore storeB = new JdbcAccountStore(databaseB.dataSource());
      Authenticator nodeA = authenticator(storeA, clock, blocking, sessionTtl, revocationDelay, ticker);
      Authenticator nodeB = authenticator(storeB, clock, blocking, sessionTtl, revocationDelay, ticker);

      // Register: the account is stored with a salted Argon2id hash, never the password.
      StoredAccount ada = new StoredAccount("a-" + Room.randomToken(12), "ada", "Ada Lovelace",
          Passwords.hash("correct horse battery"), now.get());
      storeA.create(ada);
      assertEquals(Optional.of(ada), storeB.findById(ada.id()));
      assertFalse(storeB.findByUsername("ada").orElseThrow().passwordHash().contains("correct horse"));

      // The same username again is refused, also through the other node's pool.
      StoredAccount impostor = new StoredAccount("a-" + Room.randomToken(12), "ada", "Not Ada",
          Passwords.hash("another password"), now.get());
      assertThrows(AccountStore.UsernameTaken.class, () -> storeB.create(impostor));
      assertThrows(AccountStore.UsernameTaken.class, () -> storeA.create(impostor));
      assertEquals("Ada Lovelace", storeA.findByUsername("ada").orElseThrow().displayName());
      assertTrue(storeA.findById(impostor.id()).isEmpty());

      // Log in (on node B): the right password matches the stored hash, a wrong one does not.
      StoredAccount found = storeB.findByUsername("ada").orElseThrow();
      assertTrue(Passwords.matches("correct horse battery", found.passwordHash()));
      assertFalse(Passwords.matches("correct horse battery!", found.passwordHash()));
      assertFalse(Passwords.matches("", found.passwordHash()));
      assertTrue(storeB.findByUsername("grace").isEmpty());

      Authenticator.Issued onB = await(nodeB.newAccountSession(found));
      Authenticator.Issued onA = await(nodeA.newAccountSession(found));
      Identity identity = onB.identity();
      assertEquals(Identity.Kind.ACCOUNT, identity.kind());
      assertEquals(ada.id(), identity.userId());
      // Both nodes accept both tokens (node A has now cached B's session as active).
      for (Authenticator node : new Authenticator[] {nodeA, nodeB}) {
        assertEquals(Optional.of(identity), await(node.authenticate(onB.token())));
        assertEquals(Optional.of(onA.identity()), await(node.authenticate(onA.token())));
      }

      // Log out on node B: refused there at once, and in the database.
      await(nodeB.revoke(identity));
      assertEquals(Optional.empty(), await(nodeB.authenticate(onB.token())));
      assertFalse(storeA.isSessionActive(identity.sessionId(), now.get()));
      // Node A may still have the session cached as active, but not beyond the revocation delay.
      now.addAndGet(revocationDelay.toMillis());
      assertEquals(Optional.empty(), await(nodeA.authenticate(onB.token())));
      // The account's other session is untouched.
      assertEquals(Optional.of(onA.identity()), await(nodeA.authenticate(onA.token())));
      assertEquals(Optional.of(onA.identity()), await(nodeB.authenticate(onA.token())));

      // A node that never saw the session before refuses the revoked token straight away.
      Authenticator nodeC = authenticator(new JdbcAccountStore(databaseA.dataSource()), clock, blocking, sessionTtl, revocationDelay, ticker);
      assertEquals(Optional.empty(), await(nodeC.authenticate(onB.token())));

      // Sessions expire: past the session lifetime, the store and every node refuse.
      assertTrue(storeB.isSessionActive(onA.identity().sessionId(), now.get()));
      now.addAndGet(sessionTtl.toMillis());
      assertFalse(storeB.isSessionActive(onA.identity().sessionId(), now.get()));
      assertEquals(Optional.empty(), await(nodeC.authenticate(onA.token())));
    } finally {
      blocking.shutdownNow();
    }
  }

  private static Authenticator authenticator(AccountStore store, InstantSource clock, ExecutorService blocking,
      Duration sessionTtl, Duration revocationDelay, Ticker ticker) {
    return new Authenticator(new SessionTokens(SECRET, new ObjectMapper()), store, clock, blocking,
        sessionTtl, revocationDelay, ticker);
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
