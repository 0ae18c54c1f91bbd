package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two headless Chromium pages in one room drive the real web client: reordering the queue by
 * dragging, voting and skipping, chatting with a typing indicator and reactions, and hostile text
 * that must stay text.
 */
class RoomFeaturesBrowserTest {

  @TempDir static Path dataDir;
  private static BrowserTestbed testbed;
  private static Browser browser;

  private BrowserContext contextA;
  private BrowserContext contextB;
  private Page a;
  private Page b;

  @BeforeAll
  static void start() throws Exception {
    testbed = BrowserTestbed.start(dataDir);
    browser = testbed.browser;
  }

  @AfterAll
  static void stop() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @BeforeEach
  void openTwoPagesInOneRoom() {
    contextA = browser.newContext();
    contextB = browser.newContext();
    a = contextA.newPage();
    b = contextB.newPage();
    a.navigate(testbed.home());
    a.getByTestId("create-room").click();
    a.waitForURL("**/rooms/*");
    b.navigate(a.url());
    for (Page page : List.of(a, b)) {
      page.waitForSelector("[data-testid=connection][data-state=connected]");
    }
    a.waitForCondition(() -> a.getByTestId("member").count() == 2);
  }

  @AfterEach
  void closePages() {
    contextA.close();
    contextB.close();
  }

  @Test
  void reorderingTheQueueByDraggingShowsInTheOtherPage() {
    for (String url : List.of(testbed.clipUrl, testbed.clipUrl + "?second", testbed.clipUrl + "?third", testbed.clipUrl + "?fourth")) {
      a.getByTestId("queue-add-url").fill(url);
      a.getByTestId("queue-add-submit").click();
    }
    b.waitForCondition(() -> b.getByTestId("queue-item").count() == 3);
    assertEquals(List.of("i2", "i3", "i4"), itemIds(b));

    // Drag the last upcoming item onto the first one.
    Locator last = a.locator("[data-testid=queue-item][data-item-id=i4]");
    Locator first = a.locator("[data-testid=queue-item][data-item-id=i2]");
    last.dragTo(first);

    b.waitForCondition(() -> itemIds(b).get(0).equals("i4"));
    assertEquals(List.of("i4", "i2", "i3"), itemIds(b));
    assertEquals(List.of("i4", "i2", "i3"), itemIds(a));
  }

  @Test
  void chatWithATypingIndicator() {
    b.getByTestId("chat-input").click();
    b.getByTestId("chat-input").pressSequentially("Hello from B", new Locator.PressSequentiallyOptions().setDelay(30));
    // While B types, A sees who is typing.
    a.getByTestId("typing-indicator").waitFor();
    String bName = b.evaluate("() => window.watchroom.room().members.find(m => m.id === window.watchroom.sample().memberId).name").toString();
    assertTrue(a.getByTestId("typing-indicator").innerText().contains(bName));

    b.getByTestId("chat-input").press("Enter");
    Locator message = a.getByTestId("chat-message").filter(new Locator.FilterOptions().setHasText("Hello from B"));
    message.waitFor();
    // Sending ends typing.
    a.getByTestId("typing-indicator").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.HIDDEN));

    a.getByTestId("chat-input").fill("Hi B!");
    a.getByTestId("chat-input").press("Enter");
    b.getByTestId("chat-message").filter(new Locator.FilterOptions().setHasText("Hi B!")).waitFor();
    assertEquals(2, b.getByTestId("chat-message").count());
  }

  @Test
  void hostileTextRendersAsTextAndRunsNothing() {
    String script = "<script>window.__pwned = 1</script>";
    String image = "<img src=x onerror=\"window.__pwned = 2\">";
    b.getByTestId("chat-input").fill(script);
    b.getByTestId("chat-input").press("Enter");
    b.getByTestId("chat-input").fill(image);
    b.getByTestId("chat-input").press("Enter");
    b.getByTestId("name-input").fill("<img src=y onerror=\"window.__pwned = 3\">");
    b.getByTestId("name-input").press("Enter");

    a.waitForCondition(() -> a.getByTestId("chat-message").count() == 2);
    a.waitForCondition(() -> a.getByTestId("member").allInnerTexts().stream().anyMatch(t -> t.contains("<img src=y")));

    List<String> texts = a.getByTestId("chat-text").allInnerTexts();
    assertEquals(List.of(script, image), texts);
    // Nothing ran, and no element was made from what people typed.
    for (Page page : List.of(a, b)) {
      assertEquals(null, page.evaluate("() => window.__pwned === undefined ? null : window.__pwned"));
      assertEquals(0, page.locator("[data-testid=chat-message] img, [data-testid=chat-message] script").count());
      assertEquals(0, page.locator("[data-testid=member] img").count());
    }
  }

  @Test
  void votingOrdersTheQueueAndSkippingAdvancesIt() {
    // The owner (A) turns on vote mode in the settings dialog.
    a.getByTestId("settings-open").click();
    a.getByTestId("settings-queue-mode").selectOption("vote");
    a.getByTestId("settings-save").click();
    b.locator("[data-testid=queue-panel][data-mode=vote]").waitFor();

    for (String url : List.of(testbed.clipUrl, testbed.clipUrl + "?second", testbed.clipUrl + "?third", testbed.clipUrl + "?fourth")) {
      a.getByTestId("queue-add-url").fill(url);
      a.getByTestId("queue-add-submit").click();
    }
    b.waitForCondition(() -> b.getByTestId("queue-item").count() == 3);
    assertEquals(List.of("i2", "i3", "i4"), itemIds(b));
    assertEquals("i1", b.getByTestId("queue-current").getAttribute("data-item-id"));

    // B votes the last item up: most votes first, on both pages.
    Locator voteI4 = b.locator("[data-testid=queue-item][data-item-id=i4] [data-testid=queue-vote]");
    voteI4.click();
    a.waitForCondition(() -> itemIds(a).get(0).equals("i4"));
    assertEquals(List.of("i4", "i2", "i3"), itemIds(a));
    b.waitForCondition(() -> "true".equals(voteI4.getAttribute("aria-pressed")));
    assertEquals("1", a.locator("[data-testid=queue-item][data-item-id=i4] [data-testid=queue-vote]").getAttribute("data-votes"));

    // A votes for i3: one vote each for i3 and i4 (equal votes keep their queue order), none for i2.
    a.locator("[data-testid=queue-item][data-item-id=i3] [data-testid=queue-vote]").click();
    b.waitForCondition(() -> itemIds(b).get(0).equals("i3"));
    assertEquals(List.of("i3", "i4", "i2"), itemIds(b));

    // Skip: the first of the voted order plays next, for everyone.
    a.getByTestId("queue-skip").click();
    b.waitForCondition(() -> "i3".equals(b.getByTestId("queue-current").getAttribute("data-item-id")));
    assertEquals(List.of("i4", "i2"), itemIds(b));

    // A vote to skip from B: with two people here and half of them needed, that is enough.
    assertEquals("1", b.getByTestId("vote-skip").getAttribute("data-needed"));
    b.getByTestId("vote-skip").click();
    a.waitForCondition(() -> "i4".equals(a.getByTestId("queue-current").getAttribute("data-item-id")));
    assertEquals(List.of("i2"), itemIds(a));
    // The tally starts again for the new item.
    b.waitForCondition(() -> "0".equals(b.getByTestId("vote-skip").getAttribute("data-votes")));
    assertEquals("false", b.getByTestId("vote-skip").getAttribute("aria-pressed"));
  }

  @Test
  void reactionsOnAChatMessageShowInTheOtherPage() {
    b.getByTestId("chat-input").fill("React to me");
    b.getByTestId("chat-input").press("Enter");
    Locator onA = a.getByTestId("chat-message").filter(new Locator.FilterOptions().setHasText("React to me"));
    onA.waitFor();
    onA.hover();
    onA.locator("[data-testid=chat-react][data-emoji='\uD83D\uDC4D']").click();

    Locator onB = b.getByTestId("chat-message").filter(new Locator.FilterOptions().setHasText("React to me"));
    Locator thumbsOnB = onB.locator("[data-testid=chat-reaction][data-emoji='\uD83D\uDC4D']");
    thumbsOnB.waitFor();
    assertEquals("1", thumbsOnB.getAttribute("data-count"));
    assertEquals("false", thumbsOnB.getAttribute("aria-pressed"));
    Locator thumbsOnA = onA.locator("[data-testid=chat-reaction][data-emoji='\uD83D\uDC4D']");
    thumbsOnA.waitFor();
    assertEquals("true", thumbsOnA.getAttribute("aria-pressed"));

    // B joins in by clicking the reaction; A sees two, and a second emoji sits beside it.
    thumbsOnB.click();
    a.waitForCondition(() -> "2".equals(thumbsOnA.getAttribute("data-count")));
    onB.hover();
    onB.locator("[data-testid=chat-react][data-emoji='\uD83D\uDE2E']").click();
    onA.locator("[data-testid=chat-reaction][data-emoji='\uD83D\uDE2E'][data-count='1']").waitFor();
    assertEquals(2, onA.getByTestId("chat-reaction").count());
  }

  private static List<String> itemIds(Page page) {
    return page.getByTestId("queue-item").all().stream().map(l -> l.getAttribute("data-item-id")).toList();
  }
}
