package io.watchroom.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A JSON object from a request body, with typed, bounded access to its fields. */
public final class RequestBody {

  private final JsonNode root;

  private RequestBody(JsonNode root) {
    this.root = root;
  }

  /** Parses {@code text}; an empty body is an empty object. */
  public static RequestBody parse(String text, ObjectMapper mapper) {
    if (text == null || text.isBlank()) {
      return new RequestBody(mapper.createObjectNode());
    }
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiProblem.badRequest("The body is not valid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw ApiProblem.badRequest("The body must be a JSON object.");
    }
    return new RequestBody(root);
  }

  /** A string field: null when absent (and not required), refused when too long. */
  public String string(String name, boolean required, int maxLength) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      if (required) {
        throw ApiProblem.invalid(name + " is required.");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw ApiProblem.invalid(name + " must be a string.");
    }
    String value = node.asText();
    if (value.codePointCount(0, value.length()) > maxLength) {
      throw ApiProblem.invalid(name + " has at most " + maxLength + " characters.");
    }
    return value;
  }

  public JsonNode node(String name) {
    return root.get(name);
  }
}
