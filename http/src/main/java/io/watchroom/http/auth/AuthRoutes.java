package io.watchroom.http.auth;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.core.room.Room;
import io.watchroom.http.ApiProblem;
import io.watchroom.http.ClientAddresses;
import io.watchroom.http.HttpSettings;
import io.watchroom.http.Json;
import io.watchroom.http.RequestBody;
import io.watchroom.http.RoomQueries;
import io.watchroom.http.protocol.DirectoryView;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Sessions and accounts: {@code POST /api/session} (a guest), {@code POST /api/accounts}
 * (register), {@code POST /api/login}, {@code POST /api/logout}, {@code GET /api/me}.
 */
public final class AuthRoutes {

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{2,31}");

  private final Authentication authentication;
  private final Authenticator authenticator;
  private final AccountStore store;
  private final ObjectMapper mapper;
  private final HttpSettings settings;
  private final InstantSource clock;
  private final Executor blocking;
  private final RoomQueries queries;
  private final ClientAddresses addresses;
  private final AttemptLimiter sessionsPerAddress = new AttemptLimiter(60, Duration.ofMinutes(10));
  private final AttemptLimiter failedLoginsPerUsername = new AttemptLimiter(10, Duration.ofMinutes(15));
  private final AttemptLimiter failedLoginsPerAddress = new AttemptLimiter(50, Duration.ofMinutes(15));

  public AuthRoutes(
      Authentication authentication,
      AccountStore store,
      ObjectMapper mapper,
      HttpSettings settings,
      InstantSource clock,
      RoomQueries queries,
      ClientAddresses addresses) {
    this.queries = queries;
    this.addresses = addresses;
    Executor blocking = queries.blocking();
    this.authentication = authentication;
    this.authenticator = authentication.authenticator();
    this.store = store;
    this.mapper = mapper;
    this.settings = settings;
    this.clock = clock;
    this.blocking = blocking;
  }

  public Route routes() {
    return concat(
        path("session", () -> post(this::newGuest)),
        path("accounts", () -> post(this::register)),
        path("login", () -> post(this::login)),
        path("logout", () -> post(this::logout)),
        path("me", () -> get(() -> authentication.withIdentity(this::me))));
  }

  private Route newGuest() {
    return withBody(
        (body, address) -> {
          if (!sessionsPerAddress.tryAcquire(address)) {
            throw ApiProblem.rateLimited();
          }
          String name = displayName(body.string("name", false, Room.MAX_NAME_LENGTH), "Guest " + java.util.concurrent.ThreadLocalRandom.current().nextInt(1000, 10000));
          return onSuccess(
              authenticator.newGuest(name),
              issued -> json(StatusCodes.CREATED, sessionBody(issued, null)));
        });
  }

  private Route register() {
    return withBody(
        (body, address) -> {
          if (!sessionsPerAddress.tryAcquire(address)) {
            throw ApiProblem.rateLimited();
          }
          String username = username(body.string("username", true, 32));
          String password = body.string("password", true, Passwords.MAX_LENGTH);
          if (password.length() < Passwords.MIN_LENGTH) {
            throw ApiProblem.invalid("A password has at least " + Passwords.MIN_LENGTH + " characters.");
          }
          String name = displayName(body.string("name", false, Room.MAX_NAME_LENGTH), username);
          CompletionStage<Authenticator.Issued> issued =
              CompletableFuture.supplyAsync(
                      () -> {
                        AccountStore.StoredAccount account =
                            new AccountStore.StoredAccount(
                                "a-" + Room.randomToken(12), username, name, Passwords.hash(password), clock.millis());
                        try {
                          store.create(account);
                        } catch (AccountStore.UsernameTaken e) {
                          throw new ApiProblem(StatusCodes.CONFLICT, "username_taken", e.getMessage());
                        }
                        return account;
                      },
                      blocking)
                  .thenCompose(authenticator::newAccountSession);
          return onSuccess(issued, i -> json(StatusCodes.CREATED, sessionBody(i, username)));
        });
  }

  private Route login() {
    return withBody(
        (body, address) -> {
          String username = body.string("username", true, 64).strip().toLowerCase(Locale.ROOT);
          String password = body.string("password", true, Passwords.MAX_LENGTH);
          if (failedLoginsPerUsername.isBlocked(username) || failedLoginsPerAddress.isBlocked(address)) {
            throw ApiProblem.rateLimited();
          }
          CompletionStage<Authenticator.Issued> issued =
              CompletableFuture.supplyAsync(
                      () -> {
                        var account = store.findByUsername(username);
                        // Hash even for an unknown user, so timing does not tell which names exist.
                        String hash = account.map(AccountStore.StoredAccount::passwordHash).orElse(DUMMY_HASH);
                        if (!Passwords.matches(password, hash) || account.isEmpty()) {
                          failedLoginsPerUsername.tryAcquire(username);
                          failedLoginsPerAddress.tryAcquire(address);
                          throw new ApiProblem(
                              StatusCodes.UNAUTHORIZED, "wrong_credentials", "The username or password is wrong.");
                        }
                        failedLoginsPerUsername.reset(username);
                        return account.get();
                      },
                      blocking)
                  .thenCompose(authenticator::newAccountSession);
          return onSuccess(issued, i -> json(StatusCodes.OK, sessionBody(i, username)));
        });
  }

  private Route logout() {
    return authentication.withIdentity(
        identity -> onSuccess(authenticator.revoke(identity), done -> complete(StatusCodes.NO_CONTENT)));
  }

  private Route me(Identity identity) {
    return onSuccess(
        CompletableFuture.supplyAsync(() -> queries.directory().ownedBy(identity.userId(), 100), blocking),
        rooms ->
            json(
                StatusCodes.OK,
                Map.of(
                    "user", userBody(identity, null),
                    "rooms", rooms.stream().map(DirectoryView::of).toList())));
  }

  private static final String DUMMY_HASH = Passwords.hash("not a real password, only for timing");

  // --- helpers -----------------------------------------------------------------------------------

  private interface BodyRoute {
    Route apply(RequestBody body, String clientAddress);
  }

  private Route withBody(BodyRoute inner) {
    return addresses.withClientAddress(
        address ->
            withSizeLimit(
                settings.maxRequestBytes(),
                () ->
                    extractStrictEntity(
                        settings.askTimeout(),
                        entity ->
                            inner.apply(
                                RequestBody.parse(entity.getData().utf8String(), mapper),
                                address))));
  }

  private static String username(String raw) {
    String username = raw.strip().toLowerCase(Locale.ROOT);
    if (!USERNAME.matcher(username).matches()) {
      throw ApiProblem.invalid(
          "A username has 3 to 32 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
    }
    return username;
  }

  private static String displayName(String raw, String fallback) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    String name = raw.strip();
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiProblem.invalid("A display name must not contain control characters.");
    }
    return name;
  }

  private Map<String, Object> sessionBody(Authenticator.Issued issued, String username) {
    return Map.of(
        "token", issued.token(),
        "expiresAt", issued.identity().expiresAt(),
        "user", userBody(issued.identity(), username));
  }

  private static Map<String, Object> userBody(Identity identity, String username) {
    var user = new java.util.LinkedHashMap<String, Object>();
    user.put("id", identity.userId());
    user.put("name", identity.name());
    user.put("kind", identity.kind().name().toLowerCase(Locale.ROOT));
    if (username != null) {
      user.put("username", username);
    }
    return user;
  }

  private Route json(StatusCode status, Object body) {
    return complete(
        HttpResponse.create()
            .withStatus(status)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(mapper, body))));
  }
}
