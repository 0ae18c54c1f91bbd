package io.watchroom.http.protocol;

import io.watchroom.core.room.Member;
import io.watchroom.core.room.MemberStatus;
import io.watchroom.core.room.Role;

/** A member as clients see them: who, their role, and how their player is doing. */
public record MemberView(
    String id, String name, long joinedAt, boolean guest, String role, StatusView status) {

  public record StatusView(String player, boolean typing) {
    public static StatusView of(MemberStatus status) {
      MemberStatus s = status == null ? MemberStatus.UNKNOWN : status;
      return new StatusView(WireNames.of(s.player()), s.typing());
    }
  }

  public static MemberView of(Member member, Role role, MemberStatus status) {
    return new MemberView(
        member.id(), member.name(), member.joinedAt(), member.guest(), WireNames.of(role), StatusView.of(status));
  }
}
