package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** jq literals: JSON text is valid jq, so a value is written as its JSON. */
final class JqStrings {
  private JqStrings() {}

  static String literal(String s) {
    return TextNode.valueOf(s).toString();
  }

  static String literal(JsonNode v) {
    return v.toString();
  }
}
