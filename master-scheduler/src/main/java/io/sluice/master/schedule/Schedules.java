package io.sluice.master.schedule;

import io.cloudevents.CloudEvent;
import io.sluice.engine.events.EventOutcome;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's schedules (docs/architecture.md, "Schedules"): the workflows whose graph has a
 * {@code schedule} start instances by themselves. At most one schedule is armed per workflow name:
 * the one of its latest version that is not retired (as {@code sluice list workflows} picks it), so
 * registering a newer version replaces the older one's schedule (or, without one, ends it), and
 * retiring the armed version hands the schedule back to the latest version still active. {@link
 * #sync} is called after every registration and retirement, and once after a durable master reads
 * its journal, which arms them again after a restart.
 */
public final class Schedules implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

  /** Instances one schedule may have running at once; a firing beyond it is skipped. */
  public static final int MAX_RUNNING = 4;

  private final Scheduler clock;
  private final ScheduleStarter starter;
  private final int maxRunning;
  private final Map<String, ArmedSchedule> armed = new ConcurrentHashMap<>();

  private static final CompletionStage<EventOutcome> NOT_TAKEN =
      CompletableFuture.completedFuture(EventOutcome.unmatched("no schedule.on took it"));

  /** How many armed schedules start on events ({@code on}); written under this object's lock. */
  private volatile int onArmed;

  private final ExecutorService starts =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sluice-schedules");
            t.setDaemon(true);
            return t;
          });
  private volatile ScheduleListener listener = ScheduleListener.NONE;

  public Schedules(Scheduler clock, ScheduleStarter starter) {
    this(clock, starter, MAX_RUNNING);
  }

  public Schedules(Scheduler clock, ScheduleStarter starter, int maxRunning) {
    this.clock = clock;
    this.starter = starter;
    this.maxRunning = maxRunning;
  }

  /** Who hears each firing (the master's metrics). */
  public void listen(ScheduleListener l) {
    this.listener = l == null ? ScheduleListener.NONE : l;
  }

  /**
   * Arms the schedule of {@code name}'s version that should have it ({@code latest}: the latest
   * version not retired, empty when none is), disarming the one armed before if it differs.
   */
  public synchronized void sync(String name, Optional<RegisteredWorkflow> latest) {
    RegisteredWorkflow want = latest.filter(w -> w.graph().schedule() != null).orElse(null);
    ArmedSchedule now = armed.get(name);
    if (now != null && want != null && now.workflow == want) {
      return; // the same registration (a repeated identical registration changes nothing)
    }
    if (now != null) {
      now.disarm();
      armed.remove(name);
      LOG.info("schedule of {} ({}) disarmed", now.workflow.key(), now.schedule.describe());
    }
    if (want != null) {
      ArmedSchedule a =
          new ArmedSchedule(
              want, clock, starts, starter, (k, kind, o) -> listener.fired(k, kind, o), maxRunning);
      armed.put(name, a);
      a.arm();
      LOG.info("schedule of {} armed: {}", want.key(), want.graph().schedule().describe());
    }
    onArmed =
        (int)
            armed.values().stream()
                .filter(x -> x.schedule.kind() == io.sluice.model.WorkflowSchedule.Kind.ON)
                .count();
  }

  /** Every armed schedule now, by workflow name. */
  public List<ScheduleView> views() {
    return armed.values().stream()
        .map(ArmedSchedule::view)
        .sorted(java.util.Comparator.comparing(v -> v.key().name()))
        .toList();
  }

  /** The armed schedule of {@code name}, if any. */
  public Optional<ScheduleView> view(String name) {
    return Optional.ofNullable(armed.get(name)).map(ArmedSchedule::view);
  }

  /**
   * Offers an event that names no instance to the {@code schedule.on} schedules: matched with the
   * ids of the instances it started; held when an {@code on.all} keeps it until its other events
   * come; unmatched when no schedule took it. Never blocks: the starts complete the stage.
   */
  public CompletionStage<EventOutcome> offer(CloudEvent event) {
    if (onArmed == 0) {
      return NOT_TAKEN; // the routing's path when no schedule starts on events: no lock, no list
    }
    List<CompletableFuture<String>> ids = new ArrayList<>();
    boolean taken = false;
    for (ArmedSchedule a : armed.values()) {
      taken |= a.offer(event, ids);
    }
    if (!taken) {
      return NOT_TAKEN;
    }
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(
          EventOutcome.held("kept by a schedule.on all until its other events arrive"));
    }
    return CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<String> started =
                  ids.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
              return started.isEmpty()
                  ? EventOutcome.unmatched("the schedule.on it matched could not start an instance")
                  : EventOutcome.matched(started);
            });
  }

  /** {@link #offer} as a function, for the event routing. */
  public Function<CloudEvent, CompletionStage<EventOutcome>> asTrigger() {
    return this::offer;
  }

  @Override
  public synchronized void close() {
    armed.values().forEach(ArmedSchedule::disarm);
    armed.clear();
    onArmed = 0;
    starts.shutdownNow();
  }
}
