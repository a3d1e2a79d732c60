package io.sluice.master.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.instance.InstanceRun;
import java.util.List;

/** How {@link Schedules} starts instances and sees the ones it started (the master's). */
public interface ScheduleStarter {
  /** Who a scheduled instance was started by (its {@code startedBy}). */
  String PRINCIPAL = "schedule";

  /** Starts an instance of {@code key} with {@code input}; throws when it cannot. */
  InstanceRun start(WorkflowKey key, JsonNode input);

  /** The running instances of {@code key} a schedule started (taken up ones too). */
  List<InstanceRun> running(WorkflowKey key);
}
