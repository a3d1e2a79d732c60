package io.sluice.dsl;

import io.sluice.model.Edge;
import io.sluice.model.NodeOptions;
import io.sluice.model.SwitchNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A switch: the first case whose jq condition holds picks its branch, else the {@code otherwise}
 * branch. Whatever follows the choice joins the exits of every branch (only the taken one carries a
 * result; the others are skipped).
 */
public final class ChoiceStep extends NodeStep<ChoiceStep> {
  private record When(String condition, Step step) {}

  private final List<When> cases = new ArrayList<>();
  private Step otherwise;

  ChoiceStep(String id) {
    super(id);
  }

  public ChoiceStep when(String jq, Step branch) {
    cases.add(new When(jq, branch));
    return this;
  }

  public ChoiceStep otherwise(Step branch) {
    this.otherwise = branch;
    return this;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    List<SwitchNode.Case> built = new ArrayList<>();
    List<String> exits = new ArrayList<>();
    for (When w : cases) {
      Fragment f = w.step().addTo(a);
      String target = a.singleEntry(f, "a branch of choice '" + id + "'");
      built.add(new SwitchNode.Case(a.expr(w.condition()), target));
      a.edge(id, target, Edge.Kind.BRANCH);
      exits.addAll(f.exits());
    }
    String defaultTarget = null;
    if (otherwise != null) {
      Fragment f = otherwise.addTo(a);
      defaultTarget = a.singleEntry(f, "the otherwise branch of choice '" + id + "'");
      a.edge(id, defaultTarget, Edge.Kind.BRANCH);
      exits.addAll(f.exits());
    }
    a.put(new SwitchNode(id, built, defaultTarget, options));
    return new Fragment(List.of(id), exits);
  }
}
