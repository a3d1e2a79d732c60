package io.sluice.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Roughly how many bytes a JSON value takes serialized, without serializing it: text lengths plus a
 * few bytes per value and field name. Walks the tree, not the bytes, so a 64 MB string costs one
 * step.
 */
public final class JsonSizes {
  private JsonSizes() {}

  public static long estimate(JsonNode root) {
    long total = 0;
    ArrayDeque<JsonNode> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      JsonNode n = stack.pop();
      if (n.isTextual()) {
        total += n.textValue().length() + 2;
      } else if (n.isObject()) {
        total += 2;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          total += e.getKey().length() + 4;
          stack.push(e.getValue());
        }
      } else if (n.isArray()) {
        total += 2;
        for (JsonNode c : n) {
          total += 1;
          stack.push(c);
        }
      } else {
        total += 8;
      }
    }
    return total;
  }
}
