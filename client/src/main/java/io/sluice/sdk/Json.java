package io.sluice.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** The client's one JSON mapper: inputs and event data in, outputs out. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

  private Json() {}

  /** A value as a JSON tree: a JsonNode as it is, anything else as Jackson writes it. */
  static JsonNode tree(Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof JsonNode n) {
      return n;
    }
    try {
      return MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
    }
  }

  static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(tree(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON the master sent; text that is not JSON is kept as a JSON string. */
  static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }
}
