package io.sluice.master.membership;

import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The workers the master knows and whether each is alive. A worker is alive from its registration
 * until {@link HeartbeatConfig#deadAfter()} passes without a heartbeat (timed by the injected
 * {@link Scheduler}); then it is dead, listeners hear it, and only a new registration brings it
 * back. Every change of the live set bumps the {@link #epoch()}.
 */
public final class Membership {
  /** Hears workers die. Called outside the membership's lock. */
  @FunctionalInterface
  public interface Listener {
    void workerLost(WorkerInfo worker, String reason);
  }

  private static final class Member {
    WorkerInfo info;
    WorkerCapacity capacity;
    WorkerMemory memory = WorkerMemory.NONE;
    int queueLength;
    boolean alive;
    long generation;
    Scheduler.Cancellable timer;
  }

  private final Scheduler scheduler;
  private final HeartbeatConfig heartbeat;
  private final Map<String, Member> members = new TreeMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private long epoch;

  public Membership(Scheduler scheduler, HeartbeatConfig heartbeat) {
    this.scheduler = scheduler;
    this.heartbeat = heartbeat;
  }

  public HeartbeatConfig heartbeat() {
    return heartbeat;
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /** Registers (or re-registers) a worker: it is alive, with all its capacity free. */
  public synchronized void register(WorkerInfo info) {
    Member m = members.computeIfAbsent(info.id(), k -> new Member());
    m.info = info;
    m.capacity = new WorkerCapacity(info.id(), info.slots(), info.memoryBytes());
    m.memory = WorkerMemory.NONE;
    m.queueLength = 0;
    m.alive = true;
    epoch++;
    arm(info.id(), m);
  }

  /**
   * Takes a heartbeat; returns false when the worker is unknown or was declared dead (it must
   * register again).
   */
  public synchronized boolean heartbeat(WorkerCapacity capacity, int queueLength) {
    return heartbeat(capacity, queueLength, WorkerMemory.NONE);
  }

  /**
   * Takes a heartbeat with the worker's memory (its containers' and its FaaStore's); the placement
   * sees the FaaStore budget through {@code capacity}'s free memory.
   */
  public synchronized boolean heartbeat(
      WorkerCapacity capacity, int queueLength, WorkerMemory memory) {
    Member m = members.get(capacity.workerId());
    if (m == null || !m.alive) {
      return false;
    }
    m.capacity = capacity;
    m.memory = java.util.Objects.requireNonNull(memory, "memory");
    m.queueLength = queueLength;
    arm(capacity.workerId(), m);
    return true;
  }

  private void arm(String id, Member m) {
    if (m.timer != null) {
      m.timer.cancel();
    }
    long generation = ++m.generation;
    m.timer = scheduler.schedule(heartbeat.deadAfter(), () -> expire(id, generation));
  }

  private void expire(String id, long generation) {
    WorkerInfo lost;
    synchronized (this) {
      Member m = members.get(id);
      if (m == null || !m.alive || m.generation != generation) {
        return;
      }
      m.alive = false;
      m.timer = null;
      epoch++;
      lost = m.info;
    }
    String reason =
        "worker "
            + lost.describe()
            + " missed "
            + heartbeat.missedAllowed()
            + " heartbeats (one every "
            + heartbeat.interval().toMillis()
            + " ms) and is considered dead";
    listeners.forEach(l -> l.workerLost(lost, reason));
  }

  /** Live workers, by id. */
  public synchronized List<WorkerInfo> live() {
    List<WorkerInfo> out = new ArrayList<>();
    members
        .values()
        .forEach(
            m -> {
              if (m.alive) out.add(m.info);
            });
    return out;
  }

  /** What each live worker last reported free, by id. */
  public synchronized List<WorkerCapacity> liveCapacities() {
    List<WorkerCapacity> out = new ArrayList<>();
    members
        .values()
        .forEach(
            m -> {
              if (m.alive) out.add(m.capacity);
            });
    return out;
  }

  public synchronized Optional<WorkerInfo> find(String id) {
    Member m = members.get(id);
    return m == null ? Optional.empty() : Optional.of(m.info);
  }

  /** The memory a live worker last reported (NONE until its first heartbeat says more). */
  public synchronized Optional<WorkerMemory> memory(String id) {
    Member m = members.get(id);
    return m == null || !m.alive ? Optional.empty() : Optional.of(m.memory);
  }

  /** What a live worker last reported it can take (the placement's input). */
  public synchronized Optional<WorkerCapacity> capacity(String id) {
    Member m = members.get(id);
    return m == null || !m.alive ? Optional.empty() : Optional.of(m.capacity);
  }

  public synchronized boolean alive(String id) {
    Member m = members.get(id);
    return m != null && m.alive;
  }

  /** Changes whenever a worker registers or dies. */
  public synchronized long epoch() {
    return epoch;
  }
}
