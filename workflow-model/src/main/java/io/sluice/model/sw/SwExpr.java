package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Serverless Workflow runtime expressions as Sluice jq: {@code ${ … }} stripping, a DSL value with
 * embedded expressions as one jq object literal, and the prelude that binds the DSL's arguments
 * ({@code $workflow}, {@code $runtime}, {@code $context}, {@code $task}, {@code $input} and the
 * {@code for}/{@code catch} variables) from what the engine binds ({@code $workflow} = the workflow
 * input at top level, the envelope of an inner graph inside one; see {@link SwScope}).
 */
final class SwExpr {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** jq 1.6 builtins that jackson-jq names otherwise. */
  static final String DEFS = "def todate: todateiso8601; def fromdate: fromdateiso8601; ";

  private SwExpr() {}

  /** Whether {@code v} is a strict runtime expression: a string {@code ${ … }}. */
  static boolean isExpr(JsonNode v) {
    return v != null && v.isTextual() && isExpr(v.asText());
  }

  static boolean isExpr(String s) {
    String t = s.strip();
    return t.startsWith("${") && t.endsWith("}");
  }

  /** The jq inside {@code ${ … }}, or the text itself (fields that are always expressions). */
  static String strip(String s) {
    String t = s.strip();
    return isExpr(t) ? t.substring(2, t.length() - 1).strip() : t;
  }

  /** Whether a value holds a runtime expression anywhere. */
  static boolean dynamic(JsonNode v) {
    if (isExpr(v)) {
      return true;
    }
    for (JsonNode c : v) {
      if (dynamic(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A DSL value as a jq expression over the current input: strings {@code ${ e }} become {@code
   * (e)}, everything else a literal.
   */
  static String literal(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "null";
    }
    if (v.isObject()) {
      StringBuilder b = new StringBuilder("{");
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append(quote(e.getKey())).append(": ").append(literal(e.getValue()));
        if (it.hasNext()) {
          b.append(", ");
        }
      }
      return b.append('}').toString();
    }
    if (v.isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < v.size(); i++) {
        b.append(i > 0 ? ", " : "").append(literal(v.get(i)));
      }
      return b.append(']').toString();
    }
    if (isExpr(v)) {
      return "(" + strip(v.asText()) + ")";
    }
    return v.toString();
  }

  /** A JSON string literal, which jq reads as the same string. */
  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A non-strict expression field ({@code when}, {@code in}, {@code while}, {@code if}, {@code
   * input.from}, {@code output.as}): a string is jq with or without {@code ${ }}, any other value a
   * literal with embedded expressions.
   */
  static String loose(JsonNode v) {
    return v.isTextual() ? strip(v.asText()) : literal(v);
  }

  /**
   * Wraps {@code body} (jq over the current input) in the bindings of the DSL's arguments.
   *
   * @param bindInput bind {@code $input} to the current input (everywhere but in output mappings,
   *     where the engine binds it to the task's transformed input)
   */
  static String wrap(SwScope scope, SwTask task, boolean bindInput, String body) {
    return wrap(scope, task, bindInput ? "." : null, body);
  }

  /**
   * As {@link #wrap(SwScope, SwTask, boolean, String)}, binding {@code $input} to jq {@code input}
   * (evaluated before the other bindings; null: leave the engine's {@code $input}).
   */
  static String wrap(SwScope scope, SwTask task, String input, String body) {
    // bind only what the body mentions: the graph stays readable and evaluation cheap
    boolean vars = body.contains("$__v");
    for (String var : scope.vars()) {
      vars |= body.contains("$" + var);
    }
    boolean wf = body.contains("$workflow") || body.contains("$__wfin");
    StringBuilder b = new StringBuilder();
    if (body.contains("todate") || body.contains("fromdate")) {
      b.append(DEFS);
    }
    if (input != null && !input.equals(".")) {
      b.append("(").append(input).append(") as $input | ");
    }
    b.append(". as $__d | ");
    if (wf) {
      b.append('(').append(scope.inner() ? "$workflow.wf" : "$workflow").append(") as $__wfin | ");
    }
    if (vars) {
      b.append('(').append(scope.inner() ? "$workflow.vars" : "{}").append(") as $__v | ");
    }
    if (wf) {
      b.append("{input: $__wfin, definition: ")
          .append(scope.definition())
          .append("} as $workflow | ");
    }
    if (body.contains("$runtime")) {
      b.append("{name: \"sluice\", metadata: {}} as $runtime | ");
    }
    if (body.contains("$context")) {
      b.append(scope.ctx() ? "$__ctx as $context | " : "{} as $context | ");
    }
    if (task != null && body.contains("$task")) {
      b.append("{name: ")
          .append(quote(task.name()))
          .append(", reference: ")
          .append(quote(task.pointer()))
          .append("} as $task | ");
    }
    if (".".equals(input) && body.contains("$input")) {
      b.append(". as $input | ");
    }
    for (String var : scope.vars()) {
      if (body.contains("$" + var)) {
        b.append("($__v[").append(quote(var)).append("]) as $").append(var).append(" | ");
      }
    }
    return b.append("$__d | (").append(body).append(')').toString();
  }

  /** {@code a | b}, where either may be absent (null). */
  static String pipe(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : "(" + a + ") | (" + b + ")";
  }

  static List<String> join(List<String> a, List<String> b) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }
}
