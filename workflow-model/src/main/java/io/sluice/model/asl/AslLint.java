package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Problem;
import io.sluice.model.format.SourceDocument;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of the reference linter (awslabs/statelint) that make a state machine invalid ASL, run
 * before the translation: a static field and its {@code Path} form together, a {@code .$} field
 * whose value is not a JSONPath or an intrinsic function, an intrinsic function where only a path
 * is allowed, a state name used twice (branches included), a transition into or out of a branch,
 * and a machine with no terminal state. Each is a problem at its line naming the state; when any is
 * found the translation does not run (its own problems would repeat them).
 */
final class AslLint {
  private static final List<List<String>> ONE_OF =
      List.of(
          List.of("Error", "ErrorPath"),
          List.of("Cause", "CausePath"),
          List.of("TimeoutSeconds", "TimeoutSecondsPath"),
          List.of("HeartbeatSeconds", "HeartbeatSecondsPath"),
          List.of("MaxConcurrency", "MaxConcurrencyPath"));

  private static final List<String> TEMPLATES =
      List.of("Parameters", "ResultSelector", "ItemSelector");

  private static final List<String> PATHS = List.of("InputPath", "OutputPath", "ResultPath");

  /**
   * {@code $}, {@code $$} or a variable {@code $name}, alone or followed by {@code .} or {@code [}.
   */
  private static final Pattern PATH =
      Pattern.compile("\\$(\\$|[A-Za-z_][A-Za-z0-9_]*)?([.\\[].*)?", Pattern.DOTALL);

  private static final Pattern INTRINSIC =
      Pattern.compile("States\\.[A-Za-z0-9]+\\(.*\\)", Pattern.DOTALL);

  private final SourceDocument doc;
  private final List<Problem> problems;
  private final Set<String> names = new HashSet<>();

  private AslLint(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  /** Adds the problems of the document's state machine to {@code problems}. */
  static void check(SourceDocument doc, List<Problem> problems) {
    new AslLint(doc, problems).machine(doc.root(), false);
  }

  private void machine(JsonNode m, boolean jsonata) {
    JsonNode states = m.path("States");
    if (!states.isObject()) {
      return; // the translation reports it
    }
    jsonata = jsonata || "JSONata".equals(m.path("QueryLanguage").asText());
    boolean terminal = false;
    for (var it = states.fields(); it.hasNext(); ) {
      var e = it.next();
      String name = e.getKey();
      JsonNode s = e.getValue();
      if (!s.isObject()) {
        continue;
      }
      if (!names.add(name)) {
        problem(
            states,
            name,
            name,
            "state name '"
                + name
                + "' is used twice (names are unique"
                + " in a state machine, its branches included)");
      }
      String type = s.path("Type").asText();
      terminal |= s.path("End").asBoolean(false) || type.equals("Succeed") || type.equals("Fail");
      for (List<String> pair : ONE_OF) {
        if (s.has(pair.get(0)) && s.has(pair.get(1))) {
          problem(
              s,
              pair.get(1),
              name,
              "may have only one of [\"" + pair.get(0) + "\", \"" + pair.get(1) + "\"]");
        }
      }
      boolean stateJsonata =
          jsonata
              ? !"JSONPath".equals(s.path("QueryLanguage").asText())
              : "JSONata".equals(s.path("QueryLanguage").asText());
      if (!stateJsonata) {
        for (String t : TEMPLATES) {
          if (s.has(t)) {
            template(s.get(t), name);
          }
        }
        for (String p : PATHS) {
          JsonNode v = s.get(p);
          if (v != null && v.isTextual() && !PATH.matcher(v.asText()).matches()) {
            problem(s, p, name, "\"" + p + "\" is not a JSONPath: " + v);
          }
        }
      }
      targets(s, states, name);
      for (JsonNode b : s.path("Branches")) {
        machine(b, stateJsonata);
      }
      for (String inner : List.of("Iterator", "ItemProcessor")) {
        if (s.path(inner).isObject()) {
          machine(s.get(inner), stateJsonata);
        }
      }
    }
    if (!terminal && states.size() > 0) {
      problem(
          m, "States", null, "no terminal state: no state has End: true or is a Succeed or Fail");
    }
  }

  /** Every {@code .$} field of a payload template, at any depth. */
  private void template(JsonNode t, String state) {
    if (t.isArray()) {
      t.forEach(v -> template(v, state));
      return;
    }
    if (!t.isObject()) {
      return;
    }
    for (var it = t.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getKey().endsWith(".$")) {
        JsonNode v = f.getValue();
        if (!v.isTextual()
            || !(PATH.matcher(v.asText()).matches() || INTRINSIC.matcher(v.asText()).matches())) {
          problem(
              t,
              f.getKey(),
              state,
              "field \""
                  + f.getKey()
                  + "\" is not a JSONPath or intrinsic function expression: "
                  + v);
        }
      } else {
        template(f.getValue(), state);
      }
    }
  }

  /** Transitions must stay in their machine (no jump into or out of a branch). */
  private void targets(JsonNode s, JsonNode states, String state) {
    List<JsonNode[]> to = new ArrayList<>();
    to.add(new JsonNode[] {s, s.get("Next")});
    to.add(new JsonNode[] {s, s.get("Default")});
    for (JsonNode c : s.path("Choices")) {
      to.add(new JsonNode[] {c, c.get("Next")});
    }
    for (JsonNode c : s.path("Catch")) {
      to.add(new JsonNode[] {c, c.get("Next")});
    }
    for (JsonNode[] t : to) {
      if (t[1] != null && t[1].isTextual() && !states.has(t[1].asText())) {
        String field = t[0] == s && s.get("Default") == t[1] ? "Default" : "Next";
        problem(
            t[0],
            field,
            state,
            "\""
                + field
                + "\" names '"
                + t[1].asText()
                + "', which is not a state of this machine (a transition may not go into or out"
                + " of a branch)");
      }
    }
  }

  private void problem(JsonNode object, String field, String state, String message) {
    problems.add(
        new Problem(
            field == null ? doc.locate(object) : doc.locate(object, field),
            state == null ? null : "state " + state,
            message));
  }
}
