package io.sluice.model.asl;

import java.util.List;

/**
 * How the context object ({@code $$}) reads where an expression is evaluated.
 *
 * @param exec jq for {@code $$.Execution.Input}
 * @param machine the state machine's name ({@code $$.StateMachine.Name})
 * @param state the current state's name ({@code $$.State.Name})
 * @param mapItem jq for {@code $$.Map.Item} ({@code {Index, Value}}), null outside a Map's
 *     ItemSelector
 * @param vars whether the machine assigns variables: then expressions run where the variables are
 *     bound to {@code $__ctx} ({@link io.sluice.model.format.ContextThreading})
 */
record AslContext(String exec, String machine, String state, String mapItem, boolean vars) {

  AslContext forState(String name) {
    return new AslContext(exec, machine, name, mapItem, vars);
  }

  AslContext withMapItem(String jq) {
    return new AslContext(exec, machine, state, jq, vars);
  }

  String resolve(AslPath p) {
    List<Object> s = p.segments();
    String head = s.isEmpty() ? "" : String.valueOf(s.get(0));
    String second = s.size() < 2 ? "" : String.valueOf(s.get(1));
    if (head.equals("Execution") && second.equals("Input")) {
      return p.rest(exec, 2);
    }
    if (head.equals("State") && second.equals("Name") && s.size() == 2) {
      return JqStrings.literal(state);
    }
    if (head.equals("StateMachine") && second.equals("Name") && s.size() == 2) {
      return JqStrings.literal(machine);
    }
    if (head.equals("Map") && second.equals("Item") && mapItem != null) {
      return p.rest(mapItem, 2);
    }
    throw new AslException(
        "context path '"
            + p.text()
            + "' not supported (supported: $$.Execution.Input, $$.State.Name,"
            + " $$.StateMachine.Name, $$.Map.Item.Value and $$.Map.Item.Index in a Map's"
            + " ItemSelector)");
  }

  /** jq for the value of variable {@code name}; a problem when the machine assigns none. */
  String variable(String name) {
    if (!vars) {
      throw new AslException(
          "variable $" + name + " is never assigned (no Assign in this state machine)");
    }
    return "($__ctx[" + JqStrings.literal(name) + "])";
  }

  /** jq for JSONata's {@code $states.context}. */
  String jsonata() {
    return "{Execution: {Input: "
        + exec
        + "}, State: {Name: "
        + (state == null ? "null" : JqStrings.literal(state))
        + "}, StateMachine: {Name: "
        + JqStrings.literal(machine)
        + "}}";
  }
}
