package io.watchroom.http.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A frame from a client: its {@code type}, an optional correlation {@code ref}, and typed access to
 * its fields. Parsing checks the frame's shape with a plain sentence for each mistake; the room
 * checks ranges and rights, being the authority on them. docs/protocol.md lists every type.
 */
public record ClientMessage(String type, String ref, Fields fields) {

  public static final int MAX_REF_LENGTH = 64;

  public static final Set<String> TYPES =
      Set.of(
          "join", "time", "play", "pause", "seek", "rate", "set_media", "duration", "drift",
          "status", "typing", "rename", "queue_add", "queue_remove", "queue_move", "queue_play_now",
          "queue_clear", "skip", "vote", "vote_skip", "queue_undo", "chat", "react", "settings",
          "rotate_invite", "set_role", "kick", "ban", "unban");

  /** A frame that could not be understood; answered with an {@code error} frame. */
  public static final class Malformed extends Exception {
    private final String code;
    private final String ref;

    Malformed(String code, String message, String ref) {
      super(message, null, false, false);
      this.code = code;
      this.ref = ref;
    }

    public ServerMessage.Error toError() {
      return new ServerMessage.Error(code, getMessage(), ref);
    }
  }

  public static ClientMessage parse(String text, ObjectMapper mapper) throws Malformed {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Malformed("bad_json", "The frame is not valid JSON.", null);
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("bad_json", "A frame must be a JSON object.", null);
    }
    String ref = null;
    JsonNode refNode = root.get("ref");
    if (refNode != null && !refNode.isNull()) {
      if (!refNode.isTextual() || refNode.asText().length() > MAX_REF_LENGTH) {
        throw new Malformed("invalid", "ref must be a string of at most 64 characters.", null);
      }
      ref = refNode.asText();
    }
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      throw new Malformed("unknown_type", "A frame needs a \"type\".", ref);
    }
    String type = typeNode.asText();
    if (!TYPES.contains(type)) {
      String shown = type.length() <= 32 ? type : type.substring(0, 32) + "...";
      throw new Malformed("unknown_type", "Unknown message type \"" + shown + "\".", ref);
    }
    return new ClientMessage(type, ref, new Fields(root, ref));
  }

  /** Typed access to the fields of one frame; each accessor names the field it refuses. */
  public static final class Fields {
    private final JsonNode root;
    private final String ref;

    Fields(JsonNode root, String ref) {
      this.root = root;
      this.ref = ref;
    }

    public double number(String name) throws Malformed {
      JsonNode node = root.get(name);
      if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
        throw invalid(name + " must be a finite number.");
      }
      return node.asDouble();
    }

    public Double optionalNumber(String name) throws Malformed {
      JsonNode node = root.get(name);
      return node == null || node.isNull() ? null : number(name);
    }

    public int integer(String name) throws Malformed {
      JsonNode node = root.get(name);
      if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
        throw invalid(name + " must be a whole number.");
      }
      return node.asInt();
    }

    public long longInteger(String name) throws Malformed {
      JsonNode node = root.get(name);
      if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
        throw invalid(name + " must be a whole number.");
      }
      return node.asLong();
    }

    public boolean bool(String name) throws Malformed {
      JsonNode node = root.get(name);
      if (node == null || !node.isBoolean()) {
        throw invalid(name + " must be true or false.");
      }
      return node.asBoolean();
    }

    public Boolean optionalBool(String name) throws Malformed {
      JsonNode node = root.get(name);
      return node == null || node.isNull() ? null : bool(name);
    }

    public String string(String name) throws Malformed {
      String value = optionalString(name);
      if (value == null) {
        throw invalid(name + " is required.");
      }
      return value;
    }

    public String optionalString(String name) throws Malformed {
      JsonNode node = root.get(name);
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isTextual()) {
        throw invalid(name + " must be a string.");
      }
      return node.asText();
    }

    /** A lower-case wire name of an enum constant ({@code "wait_for_everyone"}). */
    public <E extends Enum<E>> E optionalEnum(String name, Class<E> type) throws Malformed {
      String value = optionalString(name);
      return value == null ? null : enumValue(name, value, type);
    }

    public <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) throws Malformed {
      try {
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw invalid(name + " cannot be \"" + (value.length() > 32 ? value.substring(0, 32) : value) + "\".");
      }
    }

    /** An object of string values, such as the permission matrix. */
    public Map<String, String> optionalStringMap(String name, int maxEntries) throws Malformed {
      JsonNode node = root.get(name);
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isObject() || node.size() > maxEntries) {
        throw invalid(name + " must be an object of at most " + maxEntries + " entries.");
      }
      Map<String, String> values = new java.util.LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        if (!entry.getValue().isTextual()) {
          throw invalid(name + "." + entry.getKey() + " must be a string.");
        }
        values.put(entry.getKey(), entry.getValue().asText());
      }
      return values;
    }

    public Malformed invalid(String message) {
      return new Malformed("invalid", message, ref);
    }
  }
}
