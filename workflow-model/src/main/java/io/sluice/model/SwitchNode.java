package io.sluice.model;

import java.util.List;

/**
 * Picks one branch: the target of the first case whose condition (jq over the node's input) is
 * truthy, else {@code defaultTarget}. The other branches are skipped, and so is everything below
 * them that no other path reaches. Without a default and with no case true, the node fails with
 * error type {@code NoChoiceMatched}.
 */
public record SwitchNode(String id, List<Case> cases, String defaultTarget, NodeOptions options)
    implements Node {

  /** One branch of a switch. */
  public record Case(Expr condition, String target) {}

  public SwitchNode {
    Ids.check(id);
    cases = List.copyOf(cases);
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "switch";
  }

  @Override
  public SwitchNode withOptions(NodeOptions o) {
    return new SwitchNode(id, cases, defaultTarget, o);
  }
}
