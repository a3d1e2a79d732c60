package io.sluice.model.format;

import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import io.sluice.model.format.FaasflowFunction.Port;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Works out the control flow of a FaaSFlow workflow: the edges (from {@code next}), each node's
 * predecessors, which nodes are foreach children and over which output of their parent they
 * iterate.
 */
final class FaasflowGraphBuilder {
  private static final Set<String> NEXT_TYPES = Set.of("pass", "parallel", "foreach", "switch");

  private final SourceDocument doc;
  private final List<Problem> problems;
  final Map<String, FaasflowFunction> byName = new LinkedHashMap<>();
  final Map<String, List<String>> predecessors = new HashMap<>();
  final Map<String, FaasflowFunction> foreachParent = new HashMap<>();
  final List<Edge> edges = new ArrayList<>();
  private final Map<String, Optional<String>> keysFields = new HashMap<>();

  FaasflowGraphBuilder(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  void link(List<FaasflowFunction> functions) {
    for (FaasflowFunction f : functions) {
      if (byName.putIfAbsent(f.name(), f) != null) {
        problems.add(new Problem(doc.locate(f.json(), "name"), f.name(), "duplicate name"));
      }
    }
    for (FaasflowFunction f : byName.values()) {
      Location nextLoc = doc.locate(f.json().path("next"), "nodes");
      if (f.nextType() != null && !NEXT_TYPES.contains(f.nextType())) {
        problems.add(
            new Problem(
                doc.locate(f.json().path("next"), "type"),
                f.name(),
                "unknown next.type '" + f.nextType() + "'; expected one of " + NEXT_TYPES));
      }
      if (f.isSwitch() && !f.isVirtual()) {
        problems.add(
            new Problem(
                nextLoc,
                f.name(),
                "a switch must be a 'source: VIRTUAL' node; put a VIRTUAL node after " + f.name()));
      }
      for (String target : new LinkedHashSet<>(f.nextNodes())) {
        FaasflowFunction to = byName.get(target);
        if (to == null) {
          problems.add(
              new Problem(nextLoc, f.name(), "next names unknown function '" + target + "'"));
          continue;
        }
        Edge.Kind kind = f.isSwitch() ? Edge.Kind.BRANCH : Edge.Kind.NEXT;
        edges.add(new Edge(f.name(), target, kind, bytes(f, to)));
        predecessors.computeIfAbsent(target, k -> new ArrayList<>()).add(f.name());
        if ("foreach".equals(f.nextType())) {
          FaasflowFunction previous = foreachParent.putIfAbsent(target, f);
          if (previous != null) {
            problems.add(
                new Problem(
                    nextLoc,
                    f.name(),
                    "'" + target + "' is already a foreach child of '" + previous.name() + "'"));
          }
        }
      }
    }
  }

  List<String> predecessorsOf(String name) {
    return predecessors.getOrDefault(name, List.of());
  }

  /**
   * The bytes an edge P->C carries: the sizes of C's inputs taken from P. The scientific benchmarks
   * write every reference as {@code function: INPUT}, with the parameter naming the file the parent
   * outputs; such inputs count too when P has an output of that name.
   */
  private static long bytes(FaasflowFunction from, FaasflowFunction to) {
    Set<String> outputs = new HashSet<>();
    for (Port p : from.outputs()) {
      outputs.add(p.name());
    }
    long sum = 0;
    for (Port in : to.inputs()) {
      boolean fromParent = from.name().equals(in.function());
      boolean viaInput = "INPUT".equals(in.function()) && outputs.contains(in.parameter());
      if (fromParent || viaInput) {
        sum = ByteSizes.plus(sum, in.size());
      }
    }
    return sum;
  }

  /**
   * The output field of foreach parent {@code p} that child {@code c} iterates over: the parameter
   * of c's {@code type: key} input taken from p, else p's first {@code type: keys} output; null
   * (and a problem) if p has none.
   */
  String keysField(FaasflowFunction p, FaasflowFunction c) {
    return keysFields
        .computeIfAbsent(c.name(), k -> Optional.ofNullable(findKeysField(p, c)))
        .orElse(null);
  }

  private String findKeysField(FaasflowFunction p, FaasflowFunction c) {
    for (Port in : c.inputs()) {
      if ("key".equals(in.type()) && p.name().equals(in.function()) && in.parameter() != null) {
        return in.parameter();
      }
    }
    for (Port out : p.outputs()) {
      if ("keys".equals(out.type())) {
        return out.name();
      }
    }
    problems.add(
        new Problem(
            doc.locate(p.json(), "output"),
            p.name(),
            "foreach parent of '" + c.name() + "' has no output of 'type: keys' to iterate over"));
    return null;
  }

  /** The jq that adds the foreach key lists and the pass-through outputs to p's result. */
  Expr outputMapping(FaasflowFunction p) {
    Map<String, String> additions = new LinkedHashMap<>();
    String inputVar = predecessorsOf(p.name()).isEmpty() ? "$input" : "$workflow";
    for (Port out : p.outputs()) {
      if ("pass".equals(out.type()) && "INPUT".equals(out.function()) && out.parameter() != null) {
        additions.put(out.name(), JqText.field(inputVar, out.parameter()));
      }
    }
    Map<String, Integer> widths = new LinkedHashMap<>();
    for (FaasflowFunction child : foreachChildren(p)) {
      String field = keysField(p, child);
      if (field != null) {
        widths.merge(field, child.splitRatio(), Math::max);
      }
    }
    widths.forEach((field, n) -> additions.put(field, "[range(" + n + ")]"));
    if (additions.isEmpty()) {
      return null;
    }
    StringBuilder jq = new StringBuilder(". + {");
    String sep = "";
    for (Map.Entry<String, String> e : additions.entrySet()) {
      jq.append(sep).append(JqText.string(e.getKey())).append(": ").append(e.getValue());
      sep = ", ";
    }
    return new Expr(jq.append('}').toString(), doc.locate(p.json(), "output"));
  }

  private List<FaasflowFunction> foreachChildren(FaasflowFunction p) {
    List<FaasflowFunction> out = new ArrayList<>();
    if ("foreach".equals(p.nextType())) {
      for (String c : new LinkedHashSet<>(p.nextNodes())) {
        if (byName.containsKey(c)) {
          out.add(byName.get(c));
        }
      }
    }
    return out;
  }
}
