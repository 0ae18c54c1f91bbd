package io.watchroom.node;

import static io.watchroom.http.WsClient.msg;
import static io.watchroom.node.TestNodes.eventually;
import static io.watchroom.node.TestNodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import io.watchroom.core.room.Room;
import io.watchroom.http.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages around a room in the real web client, on one shared node and browser: the history
 * page's scrubber, the home page's public directory and "my rooms", the theme toggle, and the
 * layout at phone size.
 */
class HomeAndHistoryBrowserTest {

  private static final Pattern ROOM_URL = Pattern.compile("/rooms/([A-Za-z0-9_-]{12})");

  @TempDir static Path dataDir;
  private static BrowserTestbed testbed;

  private final List<BrowserContext> contexts = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    testbed = BrowserTestbed.start(dataDir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @AfterEach
  void closePages() {
    contexts.forEach(BrowserContext::close);
    contexts.clear();
  }

  @Test
  void theHistoryScrubberShowsTheRoomAtTheChosenEvent() throws Exception {
    WatchroomNode node = testbed.node;
    String olive = TestNodes.guest(node, "Olive");
    String roomId = TestNodes.createRoom(node, olive);
    try (WsClient owner = WsClient.join(TestNodes.ws(node, roomId), olive)) {
      owner.send(msg("queue_add").put("url", testbed.clipUrl).put("title", "First film"));
      owner.await("media", m -> m.path("title").asText().equals("First film"));
      owner.send(msg("queue_add").put("url", testbed.clipUrl + "?second").put("title", "Second film"));
      owner.await("queue", q -> q.get("items").size() == 1);
      owner.send(msg("seek").put("position", 42));
      owner.await("playback", p -> p.get("position").asDouble() == 42.0);
      try (WsClient bob = WsClient.join(TestNodes.ws(node, roomId), TestNodes.guest(node, "Bob"))) {
        owner.await("member_joined");
      }
    }

    Page page = newPage(new Browser.NewContextOptions());
    page.navigate(testbed.home() + "rooms/" + roomId + "/history");
    Locator scrubber = page.getByTestId("history-scrubber");
    scrubber.waitFor();
    long secondAdded = lastSeq(page, "QueueItemAdded");
    long seeked = lastSeq(page, "PlaybackSeeked");
    long bobJoined = lastSeq(page, "MemberJoined");
    assertTrue(secondAdded < seeked && seeked < bobJoined, secondAdded + " " + seeked + " " + bobJoined);

    // Moving the scrubber with the keyboard: to the first event, then step by step.
    scrubber.focus();
    scrubber.press("Home");
    Locator state = stateAt(page, 1);
    assertEquals(0, state.locator("[data-testid=history-members] li").count());
    assertEquals(0, state.locator("[data-testid=history-queue] li").count());
    assertEquals("nothing", state.getByTestId("history-media").innerText());

    stepTo(scrubber, 1, secondAdded);
    state = stateAt(page, secondAdded);
    assertEquals("First film", state.getByTestId("history-media").innerText());
    assertEquals(List.of("Second film"), titles(state.locator("[data-testid=history-queue] li")));
    assertTrue(state.getByTestId("history-position").innerText().contains("(0.000 s)"), state.getByTestId("history-position").innerText());
    assertEquals(List.of("Olive"), titles(state.locator("[data-testid=history-members] li")));

    stepTo(scrubber, secondAdded, seeked);
    state = stateAt(page, seeked);
    assertTrue(state.getByTestId("history-position").innerText().contains("(42.000 s)"), state.getByTestId("history-position").innerText());
    assertEquals(1, state.locator("[data-testid=history-members] li").count());

    stepTo(scrubber, seeked, bobJoined);
    state = stateAt(page, bobJoined);
    assertEquals(List.of("Olive", "Bob"), titles(state.locator("[data-testid=history-members] li")));
    assertTrue(state.getByTestId("history-position").innerText().contains("(42.000 s)"));

    // And back: the earlier state again.
    scrubber.press("Home");
    stateAt(page, 1);
    assertEquals(0, page.locator("[data-testid=history-state] [data-testid=history-members] li").count());
  }

  @Test
  void theHomePageListsPublicRoomsAndMyRooms() throws Exception {
    // Someone else's public room: in the directory, not in "my rooms".
    String other = TestNodes.guest(testbed.node, "Other");
    String othersRoom = TestNodes.createRoom(testbed.node, other, "{\"title\": \"Not mine\", \"visibility\": \"public\"}");

    Page page = newPage(new Browser.NewContextOptions());
    page.navigate(testbed.home());
    assertEquals(0, page.getByTestId("my-rooms").count());
    String username = "ada" + Room.randomToken(6).toLowerCase().replaceAll("[^a-z0-9]", "x");
    page.getByTestId("login-open").click();
    page.getByTestId("login-username").fill(username);
    page.getByTestId("login-password").fill("correct horse battery");
    page.getByTestId("register-submit").click();
    page.getByTestId("logout").waitFor();
    page.locator("#my-rooms-heading").waitFor();

    String open = createRoom(page, "Open house", "public");
    String unlisted = createRoom(page, "Back room", "unlisted");
    String token = page.evaluate("() => window.watchroom.token()").toString();
    eventually("the read model has the rooms", () -> {
      JsonNode mine = get(testbed.node, "api/me", token, 200).get("rooms");
      JsonNode listed = get(testbed.node, "api/rooms", null, 200).get("rooms");
      return mine.size() == 2 && contains(listed, open) && contains(listed, othersRoom);
    });

    page.navigate(testbed.home());
    Locator directory = page.getByTestId("room-directory");
    directory.locator("[data-room-id='" + open + "']").waitFor();
    assertTrue(directory.locator("[data-room-id='" + open + "']").innerText().contains("Open house"));
    assertEquals(1, directory.locator("[data-room-id='" + othersRoom + "']").count());
    assertEquals(0, directory.locator("[data-room-id='" + unlisted + "']").count());

    Locator myRooms = page.getByTestId("my-rooms");
    myRooms.locator("[data-room-id='" + unlisted + "']").waitFor();
    assertEquals(2, myRooms.getByTestId("my-room").count());
    assertTrue(myRooms.locator("[data-room-id='" + unlisted + "']").innerText().contains("Back room"));
    assertTrue(myRooms.locator("[data-room-id='" + open + "']").innerText().contains("Open house"));
    assertEquals(0, myRooms.locator("[data-room-id='" + othersRoom + "']").count());

    // A room of the list opens the room.
    myRooms.locator("[data-room-id='" + unlisted + "'] a").click();
    page.waitForURL("**/rooms/" + unlisted);
    page.locator("[data-testid=member][data-you=true][data-role=owner]").waitFor();

    // Logged out, the page has no "my rooms".
    page.navigate(testbed.home());
    page.getByTestId("logout").click();
    page.getByTestId("login-open").waitFor();
    assertEquals(0, page.getByTestId("my-rooms").count());
  }

  @Test
  void theThemeToggleSwitchesTheColoursAndIsRemembered() {
    Page page = newPage(new Browser.NewContextOptions().setColorScheme(ColorScheme.DARK));
    page.navigate(testbed.home());
    page.getByTestId("theme-toggle").waitFor();
    assertEquals("dark", theme(page));
    String dark = background(page);

    page.getByTestId("theme-toggle").click();
    assertEquals("light", theme(page));
    String light = background(page);
    assertNotEquals(dark, light);
    assertTrue(brightness(light) > brightness(dark), dark + " / " + light);

    // The choice outlives a reload, although the system still prefers dark.
    page.reload();
    page.getByTestId("theme-toggle").waitFor();
    assertEquals("light", theme(page));
    assertEquals(light, background(page));

    page.getByTestId("theme-toggle").click();
    assertEquals("dark", theme(page));
    assertEquals(dark, background(page));
  }

  @Test
  void phoneSizedPagesFitTheScreen() throws Exception {
    Page page = newPage(new Browser.NewContextOptions().setViewportSize(375, 667).setHasTouch(true).setIsMobile(true));
    page.navigate(testbed.home());
    page.getByTestId("create-room").waitFor();
    assertFitsTheWidth(page, "home");

    page.getByTestId("create-room").click();
    page.waitForURL("**/rooms/*");
    page.waitForSelector("[data-testid=connection][data-state=connected]");
    page.getByTestId("queue-add-url").fill(testbed.clipUrl);
    page.getByTestId("queue-add-submit").click();
    page.getByTestId("queue-add-url").fill(testbed.clipUrl + "?a-long-query-that-goes-on-and-on-without-any-space-to-break-it-at-all-" + "x".repeat(120));
    page.getByTestId("queue-add-submit").click();
    page.getByTestId("queue-item").waitFor();
    assertFitsTheWidth(page, "room, queue tab");

    // At phone size the panels are tabs: one shows at a time.
    assertTrue(page.getByTestId("queue-panel").isVisible());
    assertTrue(!page.getByTestId("chat-panel").isVisible());
    page.getByTestId("tab-chat").click();
    page.getByTestId("chat-input").waitFor();
    assertTrue(!page.getByTestId("queue-panel").isVisible());
    page.getByTestId("chat-input").fill("a message without spaces " + "y".repeat(300));
    page.getByTestId("chat-input").press("Enter");
    page.getByTestId("chat-message").waitFor();
    assertFitsTheWidth(page, "room, chat tab");
    page.getByTestId("tab-members").click();
    page.getByTestId("member").waitFor();
    assertFitsTheWidth(page, "room, people tab");

    Matcher room = ROOM_URL.matcher(page.url());
    assertTrue(room.find(), page.url());
    page.navigate(testbed.home() + "rooms/" + room.group(1) + "/history");
    page.getByTestId("history-scrubber").waitFor();
    page.getByTestId("history-event").last().click();
    page.getByTestId("history-state").waitFor();
    assertFitsTheWidth(page, "history");
  }

  private Page newPage(Browser.NewContextOptions options) {
    BrowserContext context = testbed.browser.newContext(options);
    contexts.add(context);
    return context.newPage();
  }

  /** Creates a room from the home page's form; its id. */
  private String createRoom(Page page, String title, String visibility) {
    page.navigate(testbed.home());
    page.getByTestId("room-title-input").fill(title);
    page.getByTestId("room-visibility").selectOption(visibility);
    page.getByTestId("create-room").click();
    page.waitForURL("**/rooms/*");
    page.waitForSelector("[data-testid=connection][data-state=connected]");
    Matcher m = ROOM_URL.matcher(page.url());
    assertTrue(m.find(), page.url());
    return m.group(1);
  }

  private static boolean contains(JsonNode rooms, String id) {
    for (JsonNode room : rooms) {
      if (room.get("id").asText().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** The sequence number of the last event of this type in the timeline. */
  private static long lastSeq(Page page, String type) {
    Locator events = page.locator("[data-testid=history-event][data-type=" + type + "]");
    events.first().waitFor();
    return Long.parseLong(events.last().getAttribute("data-seq"));
  }

  private static void stepTo(Locator scrubber, long from, long to) {
    for (long seq = from; seq < to; seq++) {
      scrubber.press("ArrowRight");
    }
  }

  private static Locator stateAt(Page page, long seq) {
    Locator state = page.locator("[data-testid=history-state][data-seq='" + seq + "']");
    state.waitFor();
    assertEquals("The room at event " + seq, page.locator("#scrubber-heading").innerText());
    return state;
  }

  /** The names or titles in a list of the history state, without their badges and hints. */
  private static List<String> titles(Locator items) {
    return items.all().stream().map(li -> li.evaluate("li => li.firstChild.textContent.trim()").toString()).toList();
  }

  private static String theme(Page page) {
    return page.evaluate("() => document.documentElement.dataset.theme").toString();
  }

  private static String background(Page page) {
    return page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor").toString();
  }

  /** The sum of the channels of an {@code rgb(r, g, b)} colour. */
  private static int brightness(String rgb) {
    Matcher m = Pattern.compile("(\\d+), (\\d+), (\\d+)").matcher(rgb);
    assertTrue(m.find(), rgb);
    return Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3));
  }

  /**
   * Nothing sticks out sideways: the page does not scroll horizontally, no element that shows
   * reaches past the screen's edges, and no panel has to be scrolled sideways to read it (a panel
   * that scrolls hides what is too wide from the page's own width).
   */
  private static void assertFitsTheWidth(Page page, String where) {
    Object answer = page.evaluate("""
        () => {
          const root = document.documentElement;
          const out = [];
          if (root.scrollWidth > root.clientWidth) out.push('the page is ' + root.scrollWidth + ' px wide');
          const name = (el) => el.tagName.toLowerCase() + '.' + el.className;
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden')) continue;
            if (getComputedStyle(el).visibility === 'hidden') continue;
            if (r.right > root.clientWidth + 1 || r.left < -1) {
              out.push(name(el) + ' spans [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
            }
            const x = getComputedStyle(el).overflowX;
            if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
              out.push(name(el) + ' scrolls sideways (' + el.scrollWidth + ' in ' + el.clientWidth + ')');
            }
          }
          return out.slice(0, 10);
        }""");
    assertEquals(List.of(), answer, where + " at 375 px");
  }
}
