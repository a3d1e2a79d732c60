package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A state's Catch list: one {@link Catcher} per entry, in order, each to a handler node {@code
 * NAME~catchI} that turns the Sluice error object into ASL's {@code {Error, Cause}} and places it
 * (ResultPath, or JSONata Output) before going to the catcher's Next.
 */
final class AslCatchers {
  private AslCatchers() {}

  /** Whether a catcher's output reads the state's raw input. */
  static boolean needRaw(JsonNode s, AslFlow flow) {
    for (JsonNode c : s.path("Catch")) {
      if (flow.catcherNeedsRaw(c)) {
        return true;
      }
    }
    return false;
  }

  /** One catcher and one handler node {@code NAME~catchI} per Catch entry. */
  static List<Catcher> build(
      AslMachine m,
      String name,
      JsonNode s,
      AslFlow flow,
      boolean jsonata,
      String rawOfError,
      String cause) {
    JsonNode list = s.get("Catch");
    if (list == null) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new AslException("Catch must be a list");
    }
    List<Catcher> out = new ArrayList<>();
    int i = 0;
    for (JsonNode c : list) {
      for (var it = c.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!List.of("ErrorEquals", "Next", jsonata ? "Output" : "ResultPath", "Comment", "Assign")
            .contains(f)) {
          m.problem(c, f, name, "Catch field '" + f + "' not supported");
        }
      }
      String next = c.path("Next").asText(null);
      if (next == null) {
        throw new AslException("a catcher needs 'Next'");
      }
      String handler = name + "~catch" + i++;
      String error = "{Error: " + AslErrors.TO_ASL + ", Cause: " + cause + "}";
      String placed = ". as $e | " + flow.catchOutput(c, error, rawOfError);
      NodeOptions o = NodeOptions.DEFAULT.withLocation(m.doc.locate(c));
      Expr mapping = new Expr(placed, m.doc.locate(c));
      // with variables the handler places the error in its output mapping, so the Assign reads
      // the error object ($__result) too
      PassNode h =
          new PassNode(handler, m.context == null ? o.withInput(mapping) : o.withOutput(mapping));
      m.nodes.put(handler, h);
      AslAssign.after(
          m,
          h,
          AslAssign.jq(
              m,
              name,
              c,
              jsonata,
              "$__result as $e | " + error,
              "errorOutput: ($__result as $e | "
                  + error
                  + "), input: ($__result as $e | "
                  + rawOfError
                  + ")",
              m.ctx.forState(name)));
      m.edges.add(new Edge(name, handler, Edge.Kind.CATCH));
      m.edges.add(Edge.next(handler, next));
      out.add(new Catcher(AslErrors.types(c.get("ErrorEquals")), handler, m.doc.locate(c)));
    }
    return out;
  }
}
