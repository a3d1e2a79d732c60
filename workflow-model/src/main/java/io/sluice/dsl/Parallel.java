package io.sluice.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * Branches that run side by side: whatever precedes the parallel fans out to every branch, and
 * whatever follows it joins the exits of every branch.
 */
final class Parallel extends Step {
  private final List<Step> branches;

  Parallel(List<Step> branches) {
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("parallel needs at least one branch");
    }
    this.branches = List.copyOf(branches);
  }

  @Override
  Fragment addTo(Assembly a) {
    List<String> entries = new ArrayList<>();
    List<String> exits = new ArrayList<>();
    for (Step b : branches) {
      Fragment f = b.addTo(a);
      entries.addAll(f.entries());
      exits.addAll(f.exits());
    }
    return new Fragment(entries, exits);
  }
}
