package io.sluice.master.progress;

import io.sluice.engine.NodeSteps;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.NodeProgress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The progress of every instance the master knows (docs/architecture.md, "Progress"): opened when
 * an instance starts, ended when it ends, forgotten when the master forgets the instance (its
 * {@code retainFinished} policy). Fed by the workers' batched node steps (ClusterService
 * ReportProgress), the master's own engine in MasterSP ({@link #nodeSteps}) and the master's own
 * steps. Memory is bounded by {@link ProgressLimits}: per instance, and in total, where the oldest
 * finished instances' histories go first.
 */
public final class ProgressStore {
  private final Map<String, InstanceProgress> instances = new ConcurrentHashMap<>();
  private final ArrayDeque<InstanceProgress> finished = new ArrayDeque<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final LongSupplier clock;
  private volatile ProgressLimits limits;

  public ProgressStore(LongSupplier clock, ProgressLimits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  /** Changes the limits for instances opened from now on (and the total cap at once). */
  public void limits(ProgressLimits l) {
    this.limits = l;
  }

  public ProgressLimits limits() {
    return limits;
  }

  /**
   * Opens an instance's progress with a pending row per top-level node, and records {@code
   * instance.started}; an instance already open is returned as it is.
   */
  public InstanceProgress open(String instanceId, List<String> nodeIds, String detail) {
    InstanceProgress p = new InstanceProgress(instanceId, nodeIds, limits.historySteps());
    InstanceProgress had = instances.putIfAbsent(instanceId, p);
    if (had != null) {
      return had;
    }
    record(instanceId, "instance.started", null, null, detail);
    return p;
  }

  public Optional<InstanceProgress> find(String instanceId) {
    return Optional.ofNullable(instanceId == null ? null : instances.get(instanceId));
  }

  /** Records a step of the master's own: {@code event.received}, {@code part.moved}, … */
  public void record(String instanceId, String type, String nodeId, String workerId, String d) {
    InstanceProgress p = instances.get(instanceId);
    if (p != null) {
      grew(p, p.step(type, nodeId, workerId, clock.getAsLong(), d));
    }
  }

  /** Records the instance's end ({@code type} instance.succeeded, …); late steps still count. */
  public void ended(String instanceId, String type, String detail) {
    InstanceProgress p = instances.get(instanceId);
    if (p == null) {
      return;
    }
    record(instanceId, type, null, null, detail);
    p.ended(clock.getAsLong());
    synchronized (finished) {
      finished.addLast(p);
    }
  }

  /**
   * An ended instance runs again under its id (redrive): its history goes on with {@code
   * instance.redriven} and it counts as running again; an instance the master had forgotten (a
   * restarted master) is opened afresh.
   */
  public void redriven(String instanceId, List<String> nodeIds, String detail) {
    InstanceProgress p = instances.get(instanceId);
    if (p == null) {
      open(instanceId, nodeIds, detail);
    } else {
      p.ended(0);
      synchronized (finished) {
        finished.remove(p);
      }
    }
    record(instanceId, "instance.redriven", null, null, detail);
  }

  /** The master forgot the instance: so does its progress. */
  public void forget(String instanceId) {
    InstanceProgress p = instances.remove(instanceId);
    if (p != null) {
      total.addAndGet(-p.trimAll());
      synchronized (finished) {
        finished.remove(p);
      }
    }
  }

  /**
   * A worker's batch of node steps, in the order they happened there. Steps of instances the master
   * does not know, or that ended more than {@link ProgressLimits#lateMillis()} ago, are ignored: a
   * worker may report after a master restart or after the instance was forgotten.
   */
  public void report(String workerId, List<NodeProgress> steps, long workerDropped) {
    long now = clock.getAsLong();
    Set<InstanceProgress> seen = workerDropped > 0 ? new HashSet<>() : null;
    for (NodeProgress s : steps) {
      InstanceProgress p = instances.get(s.getInstanceId());
      if (p == null || s.getNodeId().isEmpty()) {
        ignored.incrementAndGet();
        continue;
      }
      long ended = p.endedAtMillis();
      if (ended > 0 && now - ended > limits.lateMillis()) {
        ignored.incrementAndGet();
        continue;
      }
      grew(p, p.node(workerId, s));
      if (seen != null) {
        seen.add(p);
      }
    }
    if (seen != null) { // the worker's buffer overflowed while these instances reported
      seen.forEach(p -> p.addDropped(workerDropped));
    }
  }

  /** Steps ignored so far (unknown or long-finished instances). */
  public long ignored() {
    return ignored.get();
  }

  /** Steps kept over every instance now. */
  public long total() {
    return total.get();
  }

  private void grew(InstanceProgress p, int added) {
    if (added <= 0) {
      return;
    }
    long cap = limits.totalSteps();
    if (total.addAndGet(added) <= cap) {
      return;
    }
    synchronized (finished) { // the oldest finished instances' histories go first
      Iterator<InstanceProgress> it = finished.iterator();
      while (total.get() > cap && it.hasNext()) {
        InstanceProgress old = it.next();
        if (old != p) {
          total.addAndGet(-old.trimAll());
          it.remove(); // nothing left to trim (its late steps, if any, trim themselves)
        }
      }
    }
    while (total.get() > cap && p.trimOldest()) {
      total.decrementAndGet();
    }
  }

  /**
   * The steps of an engine of the master's own (MasterSP), for its EngineOptions: {@code ids} maps
   * the engine's instance ids to the master's; {@code workerId} names who ran them.
   */
  public NodeSteps nodeSteps(UnaryOperator<String> ids, String workerId) {
    return (instanceId, nodeId, step) -> {
      NodeProgress.Builder b =
          NodeProgress.newBuilder()
              .setInstanceId(ids.apply(instanceId))
              .setNodeId(nodeId)
              .setState(step.kind().wire())
              .setAttempt(step.attempt())
              .setTimeMillis(step.timeMillis())
              .setDurationNanos(step.durationNanos())
              .setItem(step.item())
              .setItemsTotal(step.itemsTotal());
      if (step.errorType() != null) {
        b.setError(
            ErrorInfo.newBuilder()
                .setType(step.errorType())
                .setMessage(step.errorMessage() == null ? "" : step.errorMessage())
                .setNodeId(nodeId));
      }
      report(workerId, List.of(b.build()), 0);
    };
  }
}
