package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.Rejection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat messages, their limits, reactions, and typing indicators. */
class RoomChatTest extends RoomTestBase {

  @Test
  void aMessageIsPersistedAndSentToEveryone() {
    openWithMedia();
    join("g-bob", "Bob");
    drain(OWNER);
    var post = act(r -> new Room.PostChat("g-bob", "  Hello <b>all</b>  ", 42.5, r));
    // The time anchor names the item it belongs to.
    ChatMessage message = new ChatMessage(1, "g-bob", "Bob", "Hello <b>all</b>", T0, 42.5, "i1", Map.of());
    assertEquals(new Room.ChatMessagePosted(message), post.event());
    assertEquals(new Room.ChatUpdate(message), next(OWNER, Room.ChatUpdate.class));
    assertEquals(List.of(message), state().chat());
    ok(r -> new Room.PostChat(OWNER, "second\nline", null, r));
    assertEquals(2, state().chat().get(1).id());
    assertEquals(null, state().chat().get(1).itemId());
  }

  @Test
  void badMessagesAreRefused() {
    create();
    join(OWNER, "Olive");
    assertRejected(act(r -> new Room.PostChat(OWNER, "   ", null, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.PostChat(OWNER, "x".repeat(2001), null, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.PostChat(OWNER, "bell\u0007", null, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.PostChat(OWNER, "hi", -1.0, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.PostChat("g-stranger", "hi", null, r)).reply(), Rejection.NOT_JOINED);
    ok(r -> new Room.PostChat(OWNER, "x".repeat(2000), null, r));
  }

  @Test
  void chatIsRateLimitedPerMember() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    for (int i = 0; i < 10; i++) {
      String text = "message " + i;
      ok(r -> new Room.PostChat("g-bob", text, null, r));
    }
    var refused = act(r -> new Room.PostChat("g-bob", "one too many", null, r));
    assertRejected(refused.reply(), Rejection.RATE_LIMITED);
    assertTrue(refused.hasNoEvents());
    // Others are not affected, and the window moves on.
    ok(r -> new Room.PostChat(OWNER, "I can still talk", null, r));
    clock.advance(10_000);
    ok(r -> new Room.PostChat("g-bob", "and now me again", null, r));
  }

  @Test
  void guestsCanBeMuted() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    ok(r -> new Room.ChangeSettings(OWNER, RoomPlaybackTest.change(Map.of(Permission.CHAT, Role.MEMBER)), r));
    assertRejected(act(r -> new Room.PostChat("g-bob", "hello?", null, r)).reply(), Rejection.FORBIDDEN);
  }

  @Test
  void onlyTheLatestMessagesStayInTheState() {
    create();
    join(OWNER, "Olive");
    for (int i = 1; i <= 105; i++) {
      String text = "m" + i;
      clock.advance(1_000);
      ok(r -> new Room.PostChat(OWNER, text, null, r));
    }
    List<ChatMessage> chat = state().chat();
    assertEquals(100, chat.size());
    assertEquals(6, chat.get(0).id());
    assertEquals(105, chat.get(99).id());
    assertEquals(106, state().nextMessageId());
  }

  @Test
  void reactionsToggle() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    ok(r -> new Room.PostChat(OWNER, "Look!", null, r));
    drain(OWNER);
    var react = act(r -> new Room.React("g-bob", 1, "\uD83D\uDE02", r));
    assertEquals(new Room.ChatReactionToggled(1, "\uD83D\uDE02", "g-bob", true, T0), react.event());
    assertEquals(Map.of("\uD83D\uDE02", List.of("g-bob")), next(OWNER, Room.ChatUpdate.class).message().reactions());
    ok(r -> new Room.React(OWNER, 1, "\uD83D\uDE02", r));
    assertEquals(List.of("g-bob", OWNER), state().chat().get(0).reactions().get("\uD83D\uDE02"));
    ok(r -> new Room.React("g-bob", 1, "\uD83D\uDE02", r));
    assertEquals(List.of(OWNER), state().chat().get(0).reactions().get("\uD83D\uDE02"));
    assertRejected(act(r -> new Room.React("g-bob", 99, "\uD83D\uDE02", r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.React("g-bob", 1, "lol", r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.React("g-bob", 1, "", r)).reply(), Rejection.INVALID);
  }

  @Test
  void typingIsEphemeralAndFadesByItself() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    drain(OWNER);
    var typing = room.runCommand(new Room.SetTyping("g-bob", true));
    assertTrue(typing.hasNoEvents());
    Room.PresenceUpdate on = next(OWNER, Room.PresenceUpdate.class);
    assertEquals("g-bob", on.userId());
    assertTrue(on.status().typing());
    manualTime.timePasses(Duration.ofSeconds(7));
    Room.PresenceUpdate off = next(OWNER, Room.PresenceUpdate.class);
    assertFalse(off.status().typing());
    // Posting ends typing too.
    tell(new Room.SetTyping("g-bob", true));
    ok(r -> new Room.PostChat("g-bob", "done typing", null, r));
    manualTime.timePasses(Duration.ofSeconds(7));
    assertFalse(state().chat().isEmpty());
  }
}
