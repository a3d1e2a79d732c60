package io.sluice.dsl;

import java.util.List;

/**
 * What a step added to a graph: the nodes where control enters it and the nodes whose completion
 * flows on to whatever follows (empty after an end step).
 */
record Fragment(List<String> entries, List<String> exits) {
  Fragment {
    entries = List.copyOf(entries);
    exits = List.copyOf(exits);
  }

  static Fragment single(String id) {
    return new Fragment(List.of(id), List.of(id));
  }
}
