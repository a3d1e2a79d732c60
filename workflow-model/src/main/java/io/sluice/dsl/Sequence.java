package io.sluice.dsl;

import java.util.List;

/** Steps one after the other: every exit of a step links to every entry of the next. */
final class Sequence extends Step {
  private final List<Step> steps;

  Sequence(List<Step> steps) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a sequence needs at least one step");
    }
    this.steps = List.copyOf(steps);
  }

  @Override
  Fragment addTo(Assembly a) {
    Fragment first = steps.get(0).addTo(a);
    Fragment last = first;
    for (int i = 1; i < steps.size(); i++) {
      Fragment next = steps.get(i).addTo(a);
      a.link(last, next);
      last = next;
    }
    return new Fragment(first.entries(), last.exits());
  }
}
