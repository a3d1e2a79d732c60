package io.sluice.sdk;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which instances {@link SluiceClient#listInstances} lists: of a workflow ({@code NAME} or {@code
 * NAME@VERSION}; null = every workflow), in some states (empty = every state), started in a time
 * range (null bounds = open), {@code pageSize} per call (0 = the master's default, 100).
 */
public record InstanceFilter(
    String workflow,
    Set<InstanceState> states,
    Instant startedAfter,
    Instant startedBefore,
    int pageSize) {
  public static final InstanceFilter ALL = new InstanceFilter(null, Set.of(), null, null, 0);

  public InstanceFilter {
    states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
    if (pageSize < 0) {
      throw new IllegalArgumentException("pageSize must not be negative");
    }
  }

  public static InstanceFilter all() {
    return ALL;
  }

  public InstanceFilter workflow(String nameOrNameAtVersion) {
    return new InstanceFilter(nameOrNameAtVersion, states, startedAfter, startedBefore, pageSize);
  }

  public InstanceFilter states(InstanceState... s) {
    return new InstanceFilter(workflow, Set.of(s), startedAfter, startedBefore, pageSize);
  }

  public InstanceFilter startedBetween(Instant after, Instant before) {
    return new InstanceFilter(workflow, states, after, before, pageSize);
  }

  public InstanceFilter pageSize(int n) {
    return new InstanceFilter(workflow, states, startedAfter, startedBefore, n);
  }
}
