package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.SourceDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one state machine (the top level, a Parallel branch or a Map's ItemProcessor) into a
 * workflow graph: one node per state, named as the state, plus helper nodes whose ids end in {@code
 * ~...}. A nested machine's input is {@code {raw, exec}} (the state's input and the execution's
 * input, for {@code $$.Execution.Input}); its first node {@code ~in} unwraps it.
 */
final class AslMachine {
  final SourceDocument doc;
  final List<Problem> problems;
  final Map<String, FunctionDef> functions;
  final String prefix;
  AslContext ctx;
  final boolean nested;

  /** Whether states default to the JSONata query language (QueryLanguage at the top). */
  boolean jsonata;

  final Map<String, Node> nodes = new LinkedHashMap<>();
  final List<Edge> edges = new ArrayList<>();

  /** The variables' threading (Assign), shared by the nested machines; null without Assign. */
  io.sluice.model.format.ContextThreading.Spec context;

  AslMachine(
      SourceDocument doc,
      List<Problem> problems,
      Map<String, FunctionDef> functions,
      String prefix,
      AslContext ctx,
      boolean nested) {
    this.doc = doc;
    this.problems = problems;
    this.functions = functions;
    this.prefix = prefix;
    this.ctx = ctx;
    this.nested = nested;
  }

  /**
   * A machine nested in state {@code owner}: its context reads the execution from {@code
   * $workflow.exec}.
   */
  AslMachine inner(String owner) {
    AslMachine in =
        new AslMachine(
            doc,
            problems,
            functions,
            prefix + owner + "/",
            new AslContext("$workflow.exec", ctx.machine(), null, null, ctx.vars()),
            true);
    in.jsonata = jsonata;
    in.context = context;
    return in;
  }

  void problem(JsonNode object, String field, String state, String message) {
    problems.add(
        new Problem(
            field == null ? doc.locate(object) : doc.locate(object, field),
            state == null ? null : "state " + prefix + state,
            message));
  }

  WorkflowGraph compile(JsonNode machine, String name) {
    if (!machine.isObject()) {
      problem(machine, null, null, "a state machine must be an object with StartAt and States");
      return empty(name);
    }
    for (var it = machine.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (f.equals("QueryLanguage")) {
        String ql = machine.get(f).asText();
        if (!ql.equals("JSONPath") && !ql.equals("JSONata")) {
          problem(
              machine, f, null, "QueryLanguage must be JSONPath or JSONata, got " + machine.get(f));
        }
        jsonata |= ql.equals("JSONata");
      } else if (f.equals("TimeoutSeconds")) {
        problem(machine, f, null, "a state machine's TimeoutSeconds not supported");
      } else if (!Set.of(
              "StartAt", "States", "Comment", "Version", "QueryLanguage", "ProcessorConfig")
          .contains(f)) {
        problem(machine, f, null, "unknown field '" + f + "' in a state machine");
      }
    }
    JsonNode pc = machine.get("ProcessorConfig");
    if (pc != null && !"INLINE".equals(pc.path("Mode").asText("INLINE"))) {
      problem(
          machine, "ProcessorConfig", null, "distributed maps (Mode DISTRIBUTED) not supported");
    }
    JsonNode states = machine.get("States");
    JsonNode startAt = machine.get("StartAt");
    if (states == null || !states.isObject() || states.isEmpty()) {
      problem(machine, "States", null, "'States' must be a non-empty object");
      return empty(name);
    }
    if (startAt == null || !startAt.isTextual() || !states.has(startAt.asText())) {
      problem(machine, "StartAt", null, "'StartAt' must name one of the States, got " + startAt);
      return empty(name);
    }
    boolean looping = findLoops(states, startAt.asText());
    if (looping) {
      ctx = new AslContext("$workflow.exec", ctx.machine(), null, ctx.mapItem(), ctx.vars());
    }
    for (Map.Entry<String, JsonNode> e : states.properties()) {
      String state = e.getKey();
      JsonNode s = e.getValue();
      if (state.contains("/") || state.contains("~") || state.isEmpty()) {
        problem(states, state, state, "state names with '/' or '~' not supported");
        continue;
      }
      if (!s.isObject()) {
        problem(states, state, state, "a state must be an object");
        continue;
      }
      try {
        new AslStates(this, state, s, ctx.forState(state)).compile();
      } catch (AslException ex) {
        problem(s, null, state, ex.getMessage());
      } catch (IllegalArgumentException ex) {
        problem(s, null, state, ex.getMessage());
      }
    }
    if (looping) {
      List<String> ending = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : states.properties()) {
        JsonNode st = e.getValue();
        if (st.path("End").asBoolean(false) || "Succeed".equals(st.path("Type").asText())) {
          ending.add(e.getKey());
        }
      }
      Set<String> names = new LinkedHashSet<>();
      states.fieldNames().forEachRemaining(names::add);
      return AslLoops.loop(
          name,
          startAt.asText(),
          names,
          ending,
          nodes,
          edges,
          nested,
          doc.locate(machine),
          context);
    }
    List<String> start = List.of(startAt.asText());
    if (nested) {
      nodes.put(
          "~in",
          new PassNode(
              "~in",
              NodeOptions.DEFAULT.withInput(Expr.of(".raw")).withLocation(doc.locate(machine))));
      edges.add(0, Edge.next("~in", startAt.asText()));
      start = List.of("~in");
    }
    Map<String, Node> ordered = new LinkedHashMap<>();
    if (nested) {
      ordered.put("~in", nodes.remove("~in"));
    }
    ordered.putAll(nodes);
    return new WorkflowGraph(name, "1", ordered, edges, start, Map.of(), null, doc.locate(machine));
  }

  private WorkflowGraph empty(String name) {
    return new WorkflowGraph(name, "1", Map.of(), List.of(), List.of(), Map.of(), null, null);
  }

  /** Whether a transition goes back to an earlier state (Sluice graphs are acyclic). */
  private boolean findLoops(JsonNode states, String start) {
    Map<String, Integer> color = new HashMap<>();
    // iterative DFS: (state, index of the next transition to follow)
    List<String> stack = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    stack.add(start);
    index.add(0);
    color.put(start, 1);
    while (!stack.isEmpty()) {
      String s = stack.get(stack.size() - 1);
      List<String> next = transitions(states.get(s));
      int i = index.get(index.size() - 1);
      if (i >= next.size()) {
        color.put(s, 2);
        stack.remove(stack.size() - 1);
        index.remove(index.size() - 1);
        continue;
      }
      index.set(index.size() - 1, i + 1);
      String t = next.get(i);
      if (!states.has(t)) {
        continue;
      }
      Integer c = color.get(t);
      if (c == null) {
        color.put(t, 1);
        stack.add(t);
        index.add(0);
      } else if (c == 1) {
        return true;
      }
    }
    return false;
  }

  static List<String> transitions(JsonNode s) {
    Set<String> out = new LinkedHashSet<>();
    if (s == null || !s.isObject()) {
      return List.of();
    }
    if (s.path("Next").isTextual()) {
      out.add(s.get("Next").asText());
    }
    if (s.path("Default").isTextual()) {
      out.add(s.get("Default").asText());
    }
    for (JsonNode c : s.path("Choices")) {
      if (c.path("Next").isTextual()) {
        out.add(c.get("Next").asText());
      }
    }
    for (JsonNode c : s.path("Catch")) {
      if (c.path("Next").isTextual()) {
        out.add(c.get("Next").asText());
      }
    }
    return new ArrayList<>(out);
  }
}
