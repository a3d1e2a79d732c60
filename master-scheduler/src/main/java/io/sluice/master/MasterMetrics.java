package io.sluice.master;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.instance.InstanceListener;
import io.sluice.master.instance.InstanceReport;
import io.sluice.master.membership.Membership;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The master's instance and membership figures on {@code /metrics} (docs/metrics.md): instances
 * started and ended by workflow name and version (never by instance: the label sets stay as few as
 * the registered versions), running instances, live workers and each one's heartbeat age. Event
 * routing has its own ({@link io.sluice.master.events.EventMetrics}).
 *
 * <p>The heartbeat ages are read at scrape time; which workers have a series is refreshed every
 * heartbeat interval, so a joining worker shows up within one.
 */
public final class MasterMetrics implements InstanceListener, AutoCloseable {
  static final Duration[] BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300),
    Duration.ofSeconds(900),
    Duration.ofSeconds(3600)
  };

  private final MeterRegistry registry;
  private final Membership membership;
  private final Scheduler scheduler;
  private final Duration refresh;
  private final Map<WorkflowKey, Meters> byWorkflow = new ConcurrentHashMap<>();
  private final MultiGauge heartbeatAge;
  private volatile List<String> workers = List.of();
  private volatile Scheduler.Cancellable next;
  private volatile boolean closed;

  /** One workflow version's meters. */
  private record Meters(
      Counter started,
      Counter completed,
      Counter failed,
      Counter cancelled,
      Counter crossEvents,
      Timer duration) {}

  private MasterMetrics(MeterRegistry registry, Master master, Scheduler scheduler) {
    this.registry = registry;
    this.membership = master.membership();
    this.scheduler = scheduler;
    this.refresh = membership.heartbeat().interval();
    Gauge.builder("sluice.instances.running", master, Master::runningInstances)
        .description("instances the master runs now")
        .register(registry);
    Gauge.builder("sluice.workers.live", membership, m -> m.live().size())
        .description("workers registered and alive")
        .register(registry);
    this.heartbeatAge =
        MultiGauge.builder("sluice.worker.heartbeat.age")
            .baseUnit("seconds")
            .description("time since a live worker's last heartbeat reached the master")
            .register(registry);
  }

  /** Registers the master's meters in {@code registry} and starts hearing its instances. */
  public static MasterMetrics bind(MeterRegistry registry, Master master, Scheduler scheduler) {
    MasterMetrics m = new MasterMetrics(registry, master, scheduler);
    master.instanceListener(m);
    m.refreshWorkers();
    return m;
  }

  private void refreshWorkers() {
    if (closed) {
      return;
    }
    List<String> live = membership.live().stream().map(WorkerInfo::id).toList();
    if (!live.equals(workers)) {
      workers = live;
      heartbeatAge.register(
          live.stream()
              .map(
                  id ->
                      MultiGauge.Row.of(
                          Tags.of("worker", id),
                          membership,
                          ms -> ms.heartbeatAge(id).map(d -> d.toNanos() / 1e9).orElse(Double.NaN)))
              .toList(),
          true);
    }
    next = scheduler.schedule(refresh, this::refreshWorkers);
  }

  private Meters meters(WorkflowKey key) {
    Meters m = byWorkflow.get(key);
    return m != null ? m : byWorkflow.computeIfAbsent(key, this::create);
  }

  private Meters create(WorkflowKey key) {
    Tags tags = Tags.of("workflow", key.name(), "version", key.version());
    return new Meters(
        instances("started", tags),
        instances("completed", tags),
        instances("failed", tags),
        instances("cancelled", tags),
        Counter.builder("sluice.cross.worker.events")
            .description("edge events sent from one worker to another, by the instances' workflow")
            .tags(tags)
            .register(registry),
        Timer.builder("sluice.instance.duration")
            .description("how long ended instances ran, start to end")
            .tags(tags)
            .serviceLevelObjectives(BUCKETS)
            .register(registry));
  }

  private Counter instances(String what, Tags tags) {
    return Counter.builder("sluice.instances." + what)
        .description("instances " + what + ", by workflow name and version")
        .tags(tags)
        .register(registry);
  }

  @Override
  public void started(WorkflowKey workflow, boolean resumed) {
    if (!resumed) {
      meters(workflow).started().increment();
    }
  }

  @Override
  public void ended(WorkflowKey workflow, InstanceReport report) {
    Meters m = meters(workflow);
    InstanceState state = report == null ? InstanceState.FAILED : report.state();
    switch (state) {
      case COMPLETED -> m.completed().increment();
      case CANCELLED -> m.cancelled().increment();
      default -> m.failed().increment();
    }
    if (report != null) {
      m.crossEvents().increment(report.crossWorkerEvents());
      m.duration().record(report.elapsedNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }
}
