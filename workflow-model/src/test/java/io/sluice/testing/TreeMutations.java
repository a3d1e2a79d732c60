package io.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Mutations of a definition's tree (the document as Jackson read it), for {@link
 * DefinitionMutator}: type swaps, huge and negative values, deep nesting, removed and unknown keys,
 * node ids and edges rewired into cycles, duplicates and dangling references, malformed and runaway
 * jq. Each operation changes one place of the tree, picked at random, and returns a short
 * description of what it did (for the failure message of a case).
 */
final class TreeMutations {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Keys whose string values are node ids or references to them, in the three formats. */
  private static final Set<String> ID_KEYS =
      Set.of("id", "name", "next", "default", "start", "nodes", "parents", "children", "function");

  /** Keys whose values are jq (native) or conditions (FaaSFlow). */
  private static final Set<String> EXPR_KEYS =
      Set.of("input", "output", "when", "items", "while", "correlation", "conditions");

  private static final Set<String> DURATION_KEYS =
      Set.of("timeout", "duration", "backoff", "initialBackoff", "maxBackoff", "computeTime");

  static final List<String> JQ =
      List.of(
          ".[",
          "{a:",
          ")",
          "..|..|",
          "\"unterminated",
          "$nope",
          ".a |",
          "if . then 1",
          "@nosuchformat",
          "nosuchfunction(1)",
          "def f: f; f",
          "def f: 1 + f; f",
          "[recurse(. + 1)]",
          "[range(0; 1e10)]",
          "reduce range(0; 1e15) as $i (0; . + $i)",
          "reduce range(0; 64) as $i (\"x\"; . + .)",
          "reduce range(0; 64) as $i ([1]; . + .)",
          "\"abc\" * 1000000000",
          "[limit(100000000; repeat(1))]",
          "until(false; .)",
          "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\" | test(\"(a+)+$\")",
          "splits(\"(\")",
          "input",
          "$__loc__",
          "env",
          "error(\"boom\")",
          "error(null)",
          ".[1e18]",
          "[1114112] | implode",
          "@base64d",
          "pow(10; 1e308)",
          "1e1000",
          "[range(0; 200000)]",
          "tojson | fromjson",
          "\"\\u0000\"",
          "null",
          ".",
          "true");

  static final List<String> DURATIONS =
      List.of(
          "99999999999999999999d",
          "106752d",
          "106751d",
          "-1s",
          "1e308s",
          "PT-5S",
          "P99999999999D",
          "PT2562047788015215H",
          "0.5ns",
          "0s",
          "1ns",
          "1.5s",
          "0.000000001s",
          "9223372036854775807ns",
          "9223372036854775808ns",
          "1 s",
          "s",
          "");

  private final SplittableRandom random;

  TreeMutations(SplittableRandom random) {
    this.random = random;
  }

  /** One random mutation of {@code root} (changed in place); returns what it did. */
  String mutate(ObjectNode root) {
    List<Slot> slots = new ArrayList<>();
    collect(root, null, null, -1, slots);
    if (slots.isEmpty()) {
      return "nothing to mutate";
    }
    return switch (random.nextInt(11)) {
      case 0, 1 -> typeSwap(pick(slots));
      case 2 -> hugeValue(pick(slots));
      case 3 -> deepNesting(pick(slots));
      case 4 -> removeKey(slots);
      case 5 -> unknownKey(slots);
      case 6, 7 -> rewireId(slots);
      case 8 -> jq(slots);
      case 9 -> duplicateItem(slots);
      default -> duration(slots);
    };
  }

  /** A place in the tree: the value under {@code key} of {@code parent}, or at {@code index}. */
  private record Slot(JsonNode parent, String key, int index, JsonNode value) {
    void set(JsonNode v) {
      if (parent instanceof ObjectNode o) {
        o.set(key, v);
      } else {
        ((ArrayNode) parent).set(index, v);
      }
    }

    /** The key this value is under, also for the items of a list under a key. */
    String where() {
      return key == null ? "[" + index + "]" : key;
    }
  }

  private static void collect(JsonNode v, JsonNode parent, String key, int index, List<Slot> out) {
    if (parent != null) {
      out.add(new Slot(parent, key, index, v));
    }
    if (v.isObject()) {
      v.properties().forEach(e -> collect(e.getValue(), v, e.getKey(), -1, out));
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        collect(v.get(i), v, key, i, out);
      }
    }
  }

  private Slot pick(List<Slot> slots) {
    return slots.get(random.nextInt(slots.size()));
  }

  private <T> T pick(List<T> list, T orElse) {
    return list.isEmpty() ? orElse : list.get(random.nextInt(list.size()));
  }

  private String typeSwap(Slot s) {
    JsonNode v = anyValue(s.value());
    s.set(v);
    return "type swap at " + s.where() + ": " + abbreviate(s.value()) + " -> " + abbreviate(v);
  }

  /** A value of another type than {@code old}: string, number, list, map, null or boolean. */
  private JsonNode anyValue(JsonNode old) {
    for (int tries = 0; tries < 10; tries++) {
      JsonNode v =
          switch (random.nextInt(7)) {
            case 0 -> F.textNode(old.isContainerNode() ? "x" : old.asText() + "x");
            case 1 -> F.numberNode(random.nextInt(-3, 1000));
            case 2 -> F.arrayNode().add(old.deepCopy());
            case 3 -> F.objectNode().set(old.isTextual() ? old.asText() : "k", old.deepCopy());
            case 4 -> F.nullNode();
            case 5 -> F.booleanNode(random.nextBoolean());
            default -> F.numberNode(random.nextDouble() * 10);
          };
      if (v.getNodeType() != old.getNodeType()) {
        return v;
      }
    }
    return F.nullNode();
  }

  private String hugeValue(Slot s) {
    JsonNode v =
        switch (random.nextInt(10)) {
          case 0 -> F.textNode("x".repeat(random.nextInt(1, 300_000)));
          case 1 -> F.numberNode(1e308);
          case 2 -> F.numberNode(-1e308);
          case 3 -> F.numberNode(new BigInteger("99999999999999999999"));
          case 4 -> F.numberNode(new BigInteger("-99999999999999999999"));
          case 5 -> F.numberNode(Long.MIN_VALUE);
          case 6 -> F.numberNode(2_147_483_648L);
          case 7 -> F.numberNode(4_294_967_297L);
          case 8 -> F.textNode("99999999999999999999GB");
          default -> F.numberNode(-1);
        };
    s.set(v);
    return "huge value at " + s.where() + ": " + abbreviate(v);
  }

  private String deepNesting(Slot s) {
    int depth = pick(List.of(50, 199, 200, 201, 300), 201);
    boolean lists = random.nextBoolean();
    JsonNode v = s.value().deepCopy();
    for (int i = 0; i < depth; i++) {
      v = lists ? F.arrayNode().add(v) : F.objectNode().set(s.key() == null ? "k" : s.key(), v);
    }
    s.set(v);
    return "nesting " + depth + " deep in " + (lists ? "lists" : "maps") + " at " + s.where();
  }

  private String removeKey(List<Slot> slots) {
    List<Slot> keyed = slots.stream().filter(s -> s.parent() instanceof ObjectNode).toList();
    Slot s = pick(keyed, null);
    if (s == null) {
      return "no key to remove";
    }
    ((ObjectNode) s.parent()).remove(s.key());
    return "removed key " + s.key();
  }

  private String unknownKey(List<Slot> slots) {
    List<JsonNode> objects = slots.stream().map(Slot::value).filter(JsonNode::isObject).toList();
    JsonNode o = pick(objects, null);
    if (o == null) {
      return "no object for an unknown key";
    }
    String key = pick(List.of("nxt", "x-extra", "Next", "ID", "", " ", "\u00e9t\u00e9"), "nxt");
    ((ObjectNode) o).put(key, "surprise");
    return "unknown key '" + key + "'";
  }

  /**
   * Replaces an id or a reference (id, name, next, parents, ...) by another id of the document (a
   * cycle, a self-loop, a duplicate id), a fresh one (a dangling reference) or a blank one.
   */
  private String rewireId(List<Slot> slots) {
    List<Slot> refs =
        slots.stream()
            .filter(s -> s.value().isTextual() && s.key() != null && ID_KEYS.contains(s.key()))
            .toList();
    Slot s = pick(refs, null);
    if (s == null) {
      return "no id to rewire";
    }
    Set<String> ids = new LinkedHashSet<>();
    refs.forEach(r -> ids.add(r.value().asText()));
    String to =
        switch (random.nextInt(6)) {
          case 0 -> "dangling-" + random.nextInt(100);
          case 1 -> " ";
          default -> pick(new ArrayList<>(ids), "x");
        };
    s.set(F.textNode(to));
    return "rewired " + s.where() + " '" + s.value().asText() + "' -> '" + to + "'";
  }

  private String jq(List<Slot> slots) {
    List<Slot> exprs =
        slots.stream()
            .filter(s -> s.key() != null && EXPR_KEYS.contains(s.key()) && s.value().isValueNode())
            .toList();
    Slot s = pick(exprs, null);
    if (s == null) {
      s = pick(slots);
    }
    String e = pick(JQ, ".");
    s.set(F.textNode(e));
    return "jq at " + s.where() + ": " + e;
  }

  private String duplicateItem(List<Slot> slots) {
    List<Slot> items = slots.stream().filter(s -> s.parent() instanceof ArrayNode).toList();
    Slot s = pick(items, null);
    if (s == null) {
      return "no list item to duplicate";
    }
    ((ArrayNode) s.parent()).insert(s.index(), s.value().deepCopy());
    return "duplicated item " + s.index() + " of a list under " + s.where();
  }

  private String duration(List<Slot> slots) {
    List<Slot> durations =
        slots.stream().filter(s -> s.key() != null && DURATION_KEYS.contains(s.key())).toList();
    Slot s = pick(durations, null);
    String d = pick(DURATIONS, "-1s");
    if (s == null) {
      s = pick(slots);
    }
    s.set(F.textNode(d));
    return "duration at " + s.where() + ": '" + d + "'";
  }

  static String abbreviate(JsonNode v) {
    String s = v.toString();
    return s.length() > 60 ? s.substring(0, 60) + "...(" + s.length() + " chars)" : s;
  }
}
