package io.sluice.model.format;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Builds jq source text for importers: paths, string literals, truthiness, input merging. */
final class JqText {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "not", "if", "then", "elif", "else", "end", "as", "def", "reduce", "foreach",
          "try", "catch", "label", "import", "include", "__loc__");

  private JqText() {}

  /** A jq string literal (JSON string syntax, which jq accepts). */
  static String string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Access to field {@code name} of {@code base} ("" = the input): {@code .x} or {@code .["x-y"]}.
   */
  static String field(String base, String name) {
    return IDENTIFIER.matcher(name).matches() && !KEYWORDS.contains(name)
        ? base + "." + name
        : base + (base.isEmpty() ? "." : "") + "[" + string(name) + "]";
  }

  /** Python truthiness of a jq value: null, false, 0, "", [] and {} are false. */
  static String pythonTruthy(String value) {
    return "(("
        + value
        + ") as $v | ($v != null and $v != false and $v != 0 and $v != \"\""
        + " and $v != [] and $v != {}))";
  }

  /**
   * Merges the outputs of a node's predecessors into one object, as FaaSFlow merges every input of
   * a function into one dict. When several predecessors delivered a result the default input is an
   * object keyed by predecessor id, and its object values are added together. When only one of them
   * did (the others were skipped by a switch), the default input is that single result, which is
   * kept as it is: a bare {@code [.[]] | add} would add its fields' values.
   */
  static String mergeInputs(List<String> predecessors) {
    StringBuilder ids = new StringBuilder("[");
    for (int i = 0; i < predecessors.size(); i++) {
      ids.append(i == 0 ? "" : ",").append(string(predecessors.get(i)));
    }
    ids.append(']');
    return "if type == \"object\" and length > 0 and (keys - "
        + ids
        + ") == [] then ([.[] | objects] | add) // {} else . end";
  }
}
