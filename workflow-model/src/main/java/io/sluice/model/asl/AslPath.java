package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * An ASL path ({@code $.a.b[0]}, {@code $.items[*].id}, {@code $$.Execution.Input}) parsed into
 * segments and rendered as jq. The JSONPath subset: {@code .name}, {@code ['name']}, {@code [n]}
 * (negative from the end), {@code [*]} and {@code .*}, {@code [from:to]}. Deep scan ({@code ..}),
 * filters ({@code [?(...)]}) and unions ({@code [a,b]}) are not supported and say so.
 *
 * @param context whether the path starts with {@code $$} (the context object)
 * @param segments field names (String), indexes (Integer), {@link #WILDCARD}, {@link Slice}
 * @param text the path as written
 * @param variable the variable the path reads ({@code $name.a.b}), null for {@code $} and {@code
 *     $$}
 */
record AslPath(boolean context, List<Object> segments, String text, String variable) {
  static final Object WILDCARD = new Object();

  /** {@code [from:to]}, either bound may be null. */
  record Slice(Integer from, Integer to) {}

  /** Whether the path picks at most one value (no wildcard, no slice). */
  boolean definite() {
    return segments.stream().allMatch(s -> s instanceof String || s instanceof Integer);
  }

  static AslPath parse(String text) {
    if (text == null || !text.startsWith("$")) {
      throw new AslException("'" + text + "' is not a path: a path starts with '$'");
    }
    boolean context = text.startsWith("$$");
    int i = context ? 2 : 1;
    String variable = null;
    if (!context && text.length() > 1 && isNameStart(text.charAt(1))) {
      int j = 1;
      while (j < text.length() && text.charAt(j) != '.' && text.charAt(j) != '[') {
        j++;
      }
      variable = text.substring(1, j);
      if (!VARIABLE.matcher(variable).matches()) {
        throw new AslException("bad variable name in '" + text + "'");
      }
      i = j;
    }
    List<Object> segs = new ArrayList<>();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '.') {
          throw unsupported(text, "deep scan '..'");
        }
        int j = i + 1;
        if (j < text.length() && text.charAt(j) == '*') {
          segs.add(WILDCARD);
          i = j + 1;
          continue;
        }
        while (j < text.length() && text.charAt(j) != '.' && text.charAt(j) != '[') {
          j++;
        }
        if (j == i + 1) {
          throw new AslException("bad path '" + text + "': empty field name at " + i);
        }
        segs.add(text.substring(i + 1, j));
        i = j;
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw new AslException("bad path '" + text + "': '[' without ']'");
        }
        String in = text.substring(i + 1, close).trim();
        if (in.startsWith("'") || in.startsWith("\"")) {
          char q = in.charAt(0);
          int end = text.indexOf(q, text.indexOf(q, i) + 1);
          close = text.indexOf(']', end);
          segs.add(text.substring(text.indexOf(q, i) + 1, end));
        } else if (in.equals("*")) {
          segs.add(WILDCARD);
        } else if (in.startsWith("?")) {
          throw unsupported(text, "filter expressions '[?(...)]'");
        } else if (in.contains(",")) {
          throw unsupported(text, "unions '[a,b]'");
        } else if (in.contains(":")) {
          String[] p = in.split(":", -1);
          if (p.length != 2) {
            throw unsupported(text, "slices with a step");
          }
          segs.add(new Slice(number(text, p[0]), number(text, p[1])));
        } else {
          Integer n = number(text, in);
          if (n == null) {
            throw new AslException("bad path '" + text + "': empty '[]'");
          }
          segs.add(n);
        }
        i = close + 1;
      } else {
        throw new AslException("bad path '" + text + "': unexpected '" + c + "' at " + i);
      }
    }
    return new AslPath(context, List.copyOf(segs), text, variable);
  }

  /** A variable name: letters, digits and underscores, not starting with a digit (nor $). */
  static final java.util.regex.Pattern VARIABLE =
      java.util.regex.Pattern.compile("[\\p{L}_][\\p{L}\\p{Nd}_]{0,79}");

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static Integer number(String text, String s) {
    if (s.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new AslException("bad path '" + text + "': '" + s + "' is not an index");
    }
  }

  private static AslException unsupported(String text, String what) {
    return new AslException("path '" + text + "': " + what + " not supported");
  }

  /** A reference path (ResultPath): definite, fields and indexes only; as a jq path array. */
  static String referencePath(String text) {
    AslPath p = parse(text);
    if (p.context || !p.definite()) {
      throw new AslException(
          "'" + text + "' is not a reference path: it must start with '$' and pick one value");
    }
    return segmentsJson(p.segments).toString();
  }

  /** The spec {@code [definite, text, seg...]} that {@code asl_path} reads. */
  JsonNode spec(List<Object> segs) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    a.add(segs.stream().allMatch(s -> s instanceof String || s instanceof Integer));
    a.add(text);
    a.addAll(segmentsJson(segs));
    return a;
  }

  private static ArrayNode segmentsJson(List<Object> segs) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ArrayNode a = f.arrayNode();
    for (Object s : segs) {
      if (s instanceof String n) {
        a.add(n);
      } else if (s instanceof Integer n) {
        a.add(n);
      } else if (s == WILDCARD) {
        a.add(f.objectNode().put("*", true));
      } else if (s instanceof Slice sl) {
        ArrayNode b = f.arrayNode();
        b.add(sl.from() == null ? f.nullNode() : f.numberNode(sl.from()));
        b.add(sl.to() == null ? f.nullNode() : f.numberNode(sl.to()));
        a.add(f.objectNode().set("slice", b));
      }
    }
    return a;
  }

  /** jq for this path's value over {@code base}, resolving {@code $$} through {@code ctx}. */
  String jq(String base, AslContext ctx) {
    if (variable != null) {
      base = ctx.variable(variable);
    }
    if (!context) {
      return segments.isEmpty() ? base : "(" + base + " | asl_path(" + spec(segments) + "))";
    }
    return ctx.resolve(this);
  }

  /** jq for "this path matches something" (IsPresent). */
  String presentJq(String base, AslContext ctx) {
    if (context) {
      throw unsupported(text, "IsPresent on the context object");
    }
    if (variable != null) {
      base = ctx.variable(variable);
    }
    return "(" + base + " | asl_has(" + spec(segments) + "))";
  }

  /** jq for the rest of the path after its first {@code skip} segments, over {@code base}. */
  String rest(String base, int skip) {
    List<Object> tail = segments.subList(skip, segments.size());
    return tail.isEmpty() ? base : "(" + base + " | asl_path(" + spec(tail) + "))";
  }
}
