package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A payload template (Parameters, ResultSelector, ItemSelector) as jq: a key ending in {@code .$}
 * takes the value of its path or intrinsic function (over {@code base}), other values are literals;
 * nested objects and arrays are templates too.
 */
final class AslPayload {
  private AslPayload() {}

  static String jq(JsonNode template, String base, AslContext ctx) {
    if (template.isObject()) {
      List<String> fields = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : template.properties()) {
        String key = e.getKey();
        if (key.endsWith(".$")) {
          JsonNode v = e.getValue();
          if (!v.isTextual()) {
            throw new AslException("the value of '" + key + "' must be a path or an intrinsic");
          }
          fields.add(
              JqStrings.literal(key.substring(0, key.length() - 2))
                  + ": "
                  + value(v.asText(), base, ctx));
        } else {
          fields.add(JqStrings.literal(key) + ": " + jq(e.getValue(), base, ctx));
        }
      }
      return "{" + String.join(", ", fields) + "}";
    }
    if (template.isArray()) {
      List<String> items = new ArrayList<>();
      template.forEach(v -> items.add(jq(v, base, ctx)));
      return "[" + String.join(", ", items) + "]";
    }
    return JqStrings.literal(template);
  }

  /** A {@code .$} value: a path or an intrinsic function call. */
  static String value(String text, String base, AslContext ctx) {
    String t = text.trim();
    if (AslIntrinsics.isCall(t)) {
      return AslIntrinsics.jq(t, base, ctx);
    }
    return "(" + AslPath.parse(t).jq(base, ctx) + ")";
  }
}
