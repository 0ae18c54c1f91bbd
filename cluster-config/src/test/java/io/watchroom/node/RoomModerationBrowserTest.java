package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's tools in the real web client, each test in its own room on one shared node and
 * browser: the moderator menu (promote, kick, ban), the settings dialog, and the copied invite
 * link of a private room.
 */
class RoomModerationBrowserTest {

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
  void theOwnerPromotesKicksAndBans() {
    Page owner = createRoom(newPage(), "unlisted");
    Page bea = join(owner.url());
    Page carl = join(owner.url());
    Page dan = join(owner.url());
    owner.waitForCondition(() -> owner.getByTestId("member").count() == 4);
    String beaId = myId(bea);
    String carlId = myId(carl);
    String danId = myId(dan);
    // A guest has no moderation menu.
    assertEquals(0, bea.getByTestId("member-menu").count());
    assertEquals(0, bea.getByTestId("settings-open").count());

    // Promote Bea: every page shows her as a moderator, and her own page gives her the settings.
    menuFor(owner, beaId).click();
    owner.getByTestId("member-promote").click();
    bea.locator("[data-testid=member][data-you=true][data-role=moderator]").waitFor();
    carl.locator("[data-testid=member][data-member-id='" + beaId + "'][data-role=moderator]").waitFor();
    bea.getByTestId("settings-open").waitFor();
    // A moderator reaches the guests below her, not the owner.
    assertEquals(2, bea.getByTestId("member-menu").count());

    // Kick Carl: his page says so, the others see him go, and he may come back.
    menuFor(owner, carlId).click();
    owner.getByTestId("member-kick").click();
    carl.getByTestId("removed-banner").waitFor();
    assertTrue(carl.getByTestId("removed-banner").innerText().contains("You were removed"));
    bea.waitForCondition(() -> bea.getByTestId("member").count() == 3);
    assertEquals(0, bea.locator("[data-testid=member][data-member-id='" + carlId + "']").count());

    // Ban Dan with a reason: he is told why, and cannot come back.
    menuFor(owner, danId).click();
    owner.getByTestId("member-ban").click();
    owner.getByTestId("ban-reason").fill("Spoilers");
    owner.getByTestId("ban-confirm").click();
    dan.getByTestId("removed-banner").waitFor();
    assertTrue(dan.getByTestId("removed-banner").innerText().contains("banned"), dan.getByTestId("removed-banner").innerText());
    assertTrue(dan.getByTestId("removed-reason").innerText().contains("Spoilers"));
    assertEquals(0, dan.getByTestId("rejoin").count());
    owner.waitForCondition(() -> owner.getByTestId("member").count() == 2);

    dan.navigate(owner.url());
    dan.getByTestId("removed-banner").waitFor();
    assertTrue(dan.getByTestId("removed-banner").innerText().contains("banned"));

    carl.getByTestId("rejoin").click();
    carl.waitForSelector("[data-testid=connection][data-state=connected]");
    owner.waitForCondition(() -> owner.getByTestId("member").count() == 3);
    assertEquals(1, owner.locator("[data-testid=member][data-member-id='" + carlId + "']").count());
    assertEquals(0, owner.locator("[data-testid=member][data-member-id='" + danId + "']").count());
  }

  @Test
  void theSettingsDialogChangesTitleAndVisibility() {
    Page owner = createRoom(newPage(), "unlisted");
    Page guest = join(owner.url());
    assertEquals(0, guest.getByTestId("room-visibility-badge").count());

    owner.getByTestId("settings-open").click();
    owner.getByTestId("settings-title").fill("Friday <b>film</b> club");
    owner.getByTestId("settings-visibility").selectOption("public");
    owner.getByTestId("settings-save").click();

    guest.waitForCondition(() -> guest.getByTestId("room-title").innerText().equals("Friday <b>film</b> club"));
    guest.getByTestId("room-visibility-badge").waitFor();
    assertEquals("public", guest.getByTestId("room-visibility-badge").textContent());
    assertEquals(0, guest.locator("[data-testid=room-title] b").count());
    guest.waitForCondition(() -> guest.title().startsWith("Friday <b>film</b> club"));

    // Cancel changes nothing; private is shown once saved.
    owner.getByTestId("settings-open").click();
    owner.getByTestId("settings-title").fill("Not this");
    owner.getByTestId("settings-cancel").click();
    owner.getByTestId("settings-open").click();
    assertEquals("Friday <b>film</b> club", owner.getByTestId("settings-title").inputValue());
    owner.getByTestId("settings-visibility").selectOption("private");
    owner.getByTestId("settings-save").click();
    guest.waitForCondition(() -> guest.getByTestId("room-visibility-badge").textContent().equals("private"));
    assertEquals("Friday <b>film</b> club", guest.getByTestId("room-title").innerText());
  }

  @Test
  void theCopiedInviteLinkLetsSomeoneIntoAPrivateRoom() {
    BrowserContext ownerContext =
        track(testbed.browser.newContext(new Browser.NewContextOptions().setPermissions(List.of("clipboard-read", "clipboard-write"))));
    Page owner = createRoom(ownerContext.newPage(), "private");
    owner.waitForCondition(() -> owner.evaluate("() => window.watchroom.room()?.settings.invite ?? null") != null);
    String invite = owner.evaluate("() => window.watchroom.room().settings.invite").toString();

    Locator copy = owner.getByTestId("copy-link");
    assertEquals("Copy invite link", copy.innerText());
    copy.click();
    owner.waitForCondition(() -> copy.innerText().equals("Link copied"));
    String copied = owner.evaluate("() => navigator.clipboard.readText()").toString();
    assertTrue(copied.startsWith(testbed.home().replaceAll("/$", "") + "/rooms/"), copied);
    assertTrue(copied.endsWith("?invite=" + invite), copied);

    // Without the invite the room stays shut; with the copied link a new browser is in.
    Page stranger = newPage();
    stranger.navigate(owner.url());
    stranger.getByTestId("forbidden-banner").waitFor();
    assertEquals(1, owner.getByTestId("member").count());

    Page friend = join(copied);
    owner.waitForCondition(() -> owner.getByTestId("member").count() == 2);
    assertEquals("private", friend.getByTestId("room-visibility-badge").textContent());

    // The settings dialog offers the same link, and a new one shuts the old one out.
    owner.getByTestId("settings-open").click();
    assertEquals(invite, owner.getByTestId("invite-link").getAttribute("data-invite"));
    owner.getByTestId("invite-rotate").click();
    owner.waitForCondition(() -> !invite.equals(owner.getByTestId("invite-link").getAttribute("data-invite")));
    owner.getByTestId("settings-cancel").click();
    Page late = newPage();
    late.navigate(copied);
    late.getByTestId("forbidden-banner").waitFor();
  }

  private Page newPage() {
    return track(testbed.browser.newContext()).newPage();
  }

  private BrowserContext track(BrowserContext context) {
    contexts.add(context);
    return context;
  }

  /** A room made from the home page's form, {@code page} in it as its owner. */
  private Page createRoom(Page page, String visibility) {
    page.navigate(testbed.home());
    page.getByTestId("room-visibility").selectOption(visibility);
    page.getByTestId("create-room").click();
    page.waitForURL("**/rooms/*");
    page.waitForSelector("[data-testid=connection][data-state=connected]");
    page.locator("[data-testid=member][data-you=true][data-role=owner]").waitFor();
    return page;
  }

  /** A new browser in the room at {@code url}. */
  private Page join(String url) {
    Page page = newPage();
    page.navigate(url);
    page.waitForSelector("[data-testid=connection][data-state=connected]");
    page.locator("[data-testid=member][data-you=true]").waitFor();
    return page;
  }

  private static String myId(Page page) {
    return page.locator("[data-testid=member][data-you=true]").getAttribute("data-member-id");
  }

  private static Locator menuFor(Page page, String memberId) {
    return page.locator("[data-testid=member][data-member-id='" + memberId + "'] [data-testid=member-menu]");
  }
}
