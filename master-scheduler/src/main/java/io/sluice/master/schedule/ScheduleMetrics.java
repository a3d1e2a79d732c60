package io.sluice.master.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.cluster.api.WorkflowKey;

/**
 * The schedules' figures on the master's {@code /metrics} (docs/metrics.md): {@code
 * sluice_schedules_armed}, and {@code sluice_schedule_firings_total} by workflow, version, kind and
 * outcome ({@code started}, {@code failed}, {@code skipped}).
 */
public final class ScheduleMetrics implements ScheduleListener {
  private final MeterRegistry registry;

  private ScheduleMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the meters and starts hearing {@code schedules}' firings. */
  public static ScheduleMetrics bind(MeterRegistry registry, Schedules schedules) {
    Gauge.builder("sluice.schedules.armed", schedules, s -> s.views().size())
        .description("workflow schedules the master has armed")
        .register(registry);
    ScheduleMetrics m = new ScheduleMetrics(registry);
    schedules.listen(m);
    return m;
  }

  @Override
  public void fired(WorkflowKey key, String kind, String outcome) {
    Counter.builder("sluice.schedule.firings")
        .description("times a workflow's schedule fired, by what came of it")
        .tags("workflow", key.name(), "version", key.version(), "kind", kind, "outcome", outcome)
        .register(registry)
        .increment();
  }
}
