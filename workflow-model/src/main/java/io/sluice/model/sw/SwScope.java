package io.sluice.model.sw;

import java.util.List;

/**
 * What expressions of one graph can see. The top-level graph gets the workflow input as the
 * engine's {@code $workflow}; an inner graph (a {@code for} body, a {@code try} block, a {@code
 * catch} handler) gets an envelope {@code {wf, vars, v, …}} as its input, so {@code $workflow.wf}
 * is the workflow input, {@code $workflow.vars} the variables in scope (loop item and index, caught
 * error) and {@code .v} the data the first task receives.
 *
 * @param inner whether this is an inner graph (input is the envelope)
 * @param vars names of the variables bound from {@code vars}
 * @param definition jq literal of {@code $workflow.definition}
 * @param ctx whether the workflow exports a context: then every expression runs where the context
 *     is bound to {@code $__ctx} ({@link io.sluice.model.format.ContextThreading}); else {@code
 *     $context} is always {@code {}}
 */
record SwScope(boolean inner, List<String> vars, String definition, boolean ctx) {
  SwScope {
    vars = List.copyOf(vars);
  }

  /** The scope of an inner graph with {@code more} variables. */
  SwScope child(List<String> more) {
    return new SwScope(true, SwExpr.join(vars, more), definition, ctx);
  }

  /** jq (in this scope) of the workflow input, for an envelope. */
  String workflowInput() {
    return inner ? "$workflow.wf" : "$workflow";
  }

  /** jq (in this scope) of the variables, for an envelope. */
  String variables() {
    return inner ? "$workflow.vars" : "{}";
  }
}
