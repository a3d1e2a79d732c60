package io.sluice.master.schedule;

import io.sluice.cluster.api.WorkflowKey;

/** Hears what each firing of a schedule did (the master's metrics). Must not block or throw. */
public interface ScheduleListener {
  ScheduleListener NONE = (key, kind, outcome) -> {};

  /**
   * A schedule of {@code key} fired: {@code outcome} is {@code started}, {@code failed} (the start
   * threw, e.g. no live worker) or {@code skipped} (its instances were at the bound).
   */
  void fired(WorkflowKey key, String kind, String outcome);
}
