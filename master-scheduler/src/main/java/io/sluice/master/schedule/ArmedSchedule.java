package io.sluice.master.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cloudevents.CloudEvent;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.model.WorkflowSchedule;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered version's schedule while it is armed. It holds at most one timer: every timer it
 * sets replaces the one before under its lock, and a timer that fires after {@link #disarm()} or
 * after being replaced does nothing. Starts run on {@code starts} (one thread for all schedules),
 * never on a timer thread, as a start may wait for workers.
 */
final class ArmedSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(ArmedSchedule.class);

  final RegisteredWorkflow workflow;
  final WorkflowSchedule schedule;
  private final Scheduler clock;
  private final Executor starts;
  private final ScheduleStarter starter;
  private final ScheduleListener listener;
  private final int maxRunning;
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  /** Events taken toward an {@code on.all}, per filter, oldest first. */
  private final List<ArrayDeque<CloudEvent>> pending = new ArrayList<>();

  private Scheduler.Cancellable timer;
  private long generation;
  private boolean disarmed;

  /** The planned fire: monotonic nanos ({@code every}, {@code after}) or epoch millis (cron). */
  private long due = -1;

  /** Events an {@code on.all} keeps per filter while the others are missing. */
  static final int MAX_PENDING = 100;

  ArmedSchedule(
      RegisteredWorkflow workflow,
      Scheduler clock,
      Executor starts,
      ScheduleStarter starter,
      ScheduleListener listener,
      int maxRunning) {
    this.workflow = workflow;
    this.schedule = workflow.graph().schedule();
    this.clock = clock;
    this.starts = starts;
    this.starter = starter;
    this.listener = listener;
    this.maxRunning = maxRunning;
    for (int i = 0; i < schedule.events().size(); i++) {
      pending.add(new ArrayDeque<>());
    }
  }

  /** Sets the first timer (or, for {@code after}, waits for a scheduled instance still running). */
  synchronized void arm() {
    switch (schedule.kind()) {
      case EVERY -> timerAt(clock.nanoTime() + schedule.interval().toNanos());
      case CRON -> cronFrom(clock.currentTimeMillis());
      case AFTER -> {
        List<InstanceRun> running = starter.running(workflow.key());
        if (running.isEmpty()) {
          timerAt(clock.nanoTime() + schedule.interval().toNanos());
        } else {
          follow(running.get(0)); // a restarted master took it up: wait for its end
        }
      }
      case ON -> {}
    }
  }

  synchronized void disarm() {
    disarmed = true;
    generation++;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    due = -1;
    pending.forEach(ArrayDeque::clear);
  }

  private void timerAt(long dueNanos) {
    long gen = ++generation;
    if (timer != null) {
      timer.cancel();
    }
    due = dueNanos;
    timer =
        clock.schedule(Duration.ofNanos(Math.max(0, dueNanos - clock.nanoTime())), () -> fire(gen));
  }

  private void cronFrom(long afterMillis) {
    Optional<Instant> next = schedule.cron().next(Instant.ofEpochMilli(afterMillis));
    if (next.isEmpty()) {
      LOG.warn("schedule of {}: cron {} never fires again", workflow.key(), schedule.cron());
      due = -1;
      return;
    }
    long gen = ++generation;
    if (timer != null) {
      timer.cancel();
    }
    due = next.get().toEpochMilli();
    timer =
        clock.schedule(
            Duration.ofMillis(Math.max(0, due - clock.currentTimeMillis())), () -> fire(gen));
  }

  /** A timer of generation {@code gen} fired: plan the next, then start (unless replaced). */
  private void fire(long gen) {
    synchronized (this) {
      if (disarmed || gen != generation) {
        return;
      }
      timer = null;
      switch (schedule.kind()) {
        case EVERY -> {
          long next = due + schedule.interval().toNanos();
          long now = clock.nanoTime();
          if (next <= now) { // behind (a long pause): the missed firings are not made up
            long behind = (now - next) / schedule.interval().toNanos() + 1;
            next += behind * schedule.interval().toNanos();
          }
          timerAt(next);
        }
        case CRON -> cronFrom(Math.max(due, clock.currentTimeMillis()));
        default -> due = -1; // after: the next timer is set when the instance ends
      }
    }
    startAsync(JsonNodeFactory.instance.objectNode());
  }

  /**
   * An event that names no instance: whether this {@code on} schedule took it; when that completes
   * an instance's events, the instance is started with them as its input (an array, in filter
   * order) and its id completes {@code startedId} (null when the start failed or was skipped).
   */
  synchronized boolean offer(CloudEvent event, List<CompletableFuture<String>> startedIds) {
    if (disarmed || schedule.kind() != WorkflowSchedule.Kind.ON) {
      return false;
    }
    List<WorkflowSchedule.Filter> filters = schedule.events();
    int slot = -1;
    for (int i = 0; i < filters.size(); i++) {
      if (EventJson.matches(filters.get(i), event)) {
        if (slot < 0 || (pending.get(slot).size() > 0 && pending.get(i).isEmpty())) {
          slot = i; // the first filter it matches, preferring one still missing its event
        }
        if (!schedule.strategy().equals("all")) {
          break;
        }
      }
    }
    if (slot < 0) {
      return false;
    }
    ArrayNode input = JsonNodeFactory.instance.arrayNode();
    if (!schedule.strategy().equals("all")) {
      input.add(EventJson.of(event));
    } else {
      if (pending.get(slot).size() >= MAX_PENDING) {
        LOG.warn(
            "schedule of {}: {} events already wait for the other filters of on.all; event {}"
                + " not taken",
            workflow.key(),
            MAX_PENDING,
            event.getId());
        return false;
      }
      pending.get(slot).add(event);
      if (pending.stream().anyMatch(ArrayDeque::isEmpty)) {
        return true; // kept until every filter has its event
      }
      pending.forEach(q -> input.add(EventJson.of(q.poll())));
    }
    startedIds.add(startAsync(input));
    return true;
  }

  /** Starts an instance on the start thread; completes with its id, or null if none started. */
  private CompletableFuture<String> startAsync(JsonNode input) {
    CompletableFuture<String> id = new CompletableFuture<>();
    starts.execute(() -> id.complete(start(input)));
    return id;
  }

  private String start(JsonNode input) {
    synchronized (this) {
      if (disarmed) {
        return null;
      }
    }
    String kind = schedule.kind().dslName();
    int running = starter.running(workflow.key()).size();
    if (running >= maxRunning) {
      skipped.incrementAndGet();
      listener.fired(workflow.key(), kind, "skipped");
      LOG.info(
          "schedule of {} ({}): skipped, {} of its instances still run (at most {})",
          workflow.key(),
          schedule.describe(),
          running,
          maxRunning);
      return null;
    }
    try {
      InstanceRun run = starter.start(workflow.key(), input);
      started.incrementAndGet();
      listener.fired(workflow.key(), kind, "started");
      if (schedule.kind() == WorkflowSchedule.Kind.AFTER) {
        follow(run);
      }
      return run.id();
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      listener.fired(workflow.key(), kind, "failed");
      LOG.warn(
          "schedule of {} ({}): could not start an instance: {}",
          workflow.key(),
          schedule.describe(),
          e.getMessage());
      if (schedule.kind() == WorkflowSchedule.Kind.AFTER) {
        synchronized (this) {
          if (!disarmed) {
            timerAt(clock.nanoTime() + schedule.interval().toNanos()); // try again after it
          }
        }
      }
      return null;
    }
  }

  /** {@code after}: the next start comes {@code after} the end of {@code run}, however it ended. */
  private void follow(InstanceRun run) {
    run.done()
        .whenComplete(
            (r, ex) -> {
              synchronized (this) {
                if (!disarmed) {
                  timerAt(clock.nanoTime() + schedule.interval().toNanos());
                }
              }
            });
  }

  synchronized ScheduleView view() {
    long next = -1;
    if (due >= 0 && timer != null) {
      next =
          schedule.kind() == WorkflowSchedule.Kind.CRON
              ? due
              : clock.currentTimeMillis() + (due - clock.nanoTime()) / 1_000_000L;
    }
    return new ScheduleView(
        workflow.key(), schedule.describe(), next, started.get(), failed.get(), skipped.get());
  }
}
