package io.sluice.master.membership;

import io.grpc.Status;
import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers the master knows and whether each is alive. A worker is alive from its registration
 * until a {@link PhiAccrual} failure detector over its own recent heartbeat intervals declares it
 * dead (rules in {@link HeartbeatConfig}; timed by the injected {@link Scheduler}); then listeners
 * hear it, the declaration is logged at WARN with its evidence, and only a new registration brings
 * it back. Registrations carry the worker process's incarnation: a higher one replaces its
 * predecessor under the same id (declared dead first: the parts placed on it are lost), a lower one
 * is refused, and heartbeats of another incarnation than the registered one are not counted. Every
 * registration and death bumps the {@link #epoch()}, and every registration gives the worker a new
 * {@link #registrations() registration number}, so that deployments are sent to it again.
 *
 * <p>A worker can be {@link #drain drained}: it stays alive (its heartbeats count as before) but is
 * left out of {@link #placeable()} and {@link #placeableCapacities()}, the workers placements are
 * computed over, so it gets no new parts while the parts it runs finish. Draining bumps the epoch
 * (deployments are placed again); a registration of a new incarnation (the worker restarted, e.g.
 * after an upgrade) ends it, a registration of the same incarnation keeps it.
 */
public final class Membership {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  /** Hears workers die. Called outside the membership's lock. */
  @FunctionalInterface
  public interface Listener {
    /** Returns how many instances the death affected (for the log). */
    int workerLost(WorkerInfo worker, String reason);
  }

  /**
   * What the master answers a heartbeat.
   *
   * @param counted the heartbeat was taken; else the worker must register again, for {@code reason}
   */
  public record Verdict(boolean counted, String reason) {
    static final Verdict COUNTED = new Verdict(true, "");
  }

  private static final class Member {
    WorkerInfo info;
    WorkerCapacity capacity;
    WorkerMemory memory = WorkerMemory.NONE;
    int queueLength;
    boolean alive;
    boolean draining;
    long registration;
    long generation;
    long dueNanos;
    boolean graced;
    String deathReason = "";
    PhiAccrual detector;
    Scheduler.Cancellable timer;
  }

  /** A death decided under the lock, announced outside it. */
  private record Death(WorkerInfo worker, String reason, String evidence) {}

  private final Scheduler scheduler;
  private final HeartbeatConfig heartbeat;
  private final Map<String, Member> members = new TreeMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private long epoch;
  private long registrations;

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

  /**
   * Registers (or re-registers) a worker: it is alive, with all its capacity free and a fresh
   * failure detector. When a live worker of an earlier incarnation (or one that gave none) holds
   * the id at the same address (a restart), that one is declared dead first.
   *
   * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION when a later incarnation holds the
   *     id, or a live worker holds it at another address (no takeover of a live id)
   */
  public void register(WorkerInfo info) {
    Death replaced = null;
    String how;
    synchronized (this) {
      Member m = members.get(info.id());
      long was = m == null ? 0 : m.info.incarnation();
      if (m != null && info.incarnation() != 0 && was != 0 && info.incarnation() < was) {
        throw Status.FAILED_PRECONDITION
            .withDescription(
                "worker "
                    + info.describe()
                    + ": incarnation "
                    + info.incarnation()
                    + " is older than incarnation "
                    + was
                    + " registered under this id (a newer process of this worker took over); stop"
                    + " this process")
            .asRuntimeException();
      }
      if (m != null && m.alive && !m.info.address().equals(info.address())) {
        // No takeover of a live id (any mode): a second process claiming w1 from elsewhere would
        // take w1's parts and address, and every deployment fails once it exits.
        long agoMs = Math.max(0, (scheduler.nanoTime() - m.detector.lastNanos()) / 1_000_000);
        String refused =
            "worker "
                + info.id()
                + " is alive at "
                + m.info.address()
                + " (last heartbeat "
                + agoMs
                + " ms ago); stop it first or wait until it is declared dead";
        LOG.warn("refused the registration of {} from {}: {}", info.id(), info.address(), refused);
        throw Status.FAILED_PRECONDITION.withDescription(refused).asRuntimeException();
      }
      boolean sameRun = m != null && info.incarnation() != 0 && info.incarnation() == was;
      if (m != null && m.alive && !sameRun) {
        String reason =
            "worker "
                + m.info.describe()
                + " registered again as a new incarnation ("
                + info.incarnation()
                + ", was "
                + was
                + "): what ran on its previous incarnation is lost";
        replaced = declareDead(m, reason, scheduler.nanoTime());
      }
      how = m == null ? "joined" : sameRun ? "registered again" : "restarted";
      if (m == null) {
        m = new Member();
        members.put(info.id(), m);
      }
      m.info = info;
      m.capacity = new WorkerCapacity(info.id(), info.slots(), info.memoryBytes());
      m.memory = WorkerMemory.NONE;
      m.queueLength = 0;
      m.alive = true;
      if (m.draining) {
        // a new incarnation is the upgraded process: it takes parts again
        how += sameRun ? "; still draining" : "; no longer draining (a new incarnation)";
        m.draining = sameRun;
      }
      m.deathReason = "";
      m.registration = ++registrations;
      m.detector =
          new PhiAccrual(
              heartbeat.interval().toNanos(),
              heartbeat.minStdDeviation().toNanos(),
              scheduler.nanoTime());
      epoch++;
      arm(info.id(), m);
    }
    if (replaced != null) {
      announce(replaced);
    }
    LOG.info(
        "worker {} {} (incarnation {}); its deployments are sent again at the next use",
        info.describe(),
        how,
        info.incarnation());
  }

  /**
   * Takes a heartbeat; returns false when the worker is unknown or was declared dead (it must
   * register again).
   */
  public boolean heartbeat(WorkerCapacity capacity, int queueLength) {
    return heartbeat(capacity, queueLength, WorkerMemory.NONE);
  }

  /**
   * Takes a heartbeat with the worker's memory (its containers' and its FaaStore's); the placement
   * sees the FaaStore budget through {@code capacity}'s free memory.
   */
  public boolean heartbeat(WorkerCapacity capacity, int queueLength, WorkerMemory memory) {
    return heartbeat(capacity, queueLength, memory, 0).counted();
  }

  /**
   * Takes a heartbeat of the worker's {@code incarnation} (0 = not given): counted when the worker
   * is alive and that incarnation is the registered one; otherwise the verdict says why it must
   * register again, and the heartbeat changes nothing.
   */
  public synchronized Verdict heartbeat(
      WorkerCapacity capacity, int queueLength, WorkerMemory memory, long incarnation) {
    Objects.requireNonNull(memory, "memory");
    String id = capacity.workerId();
    Member m = members.get(id);
    if (m == null) {
      return new Verdict(false, "worker " + id + " is not registered with this master");
    }
    long registered = m.info.incarnation();
    if (incarnation != 0 && registered != 0 && incarnation != registered) {
      return new Verdict(
          false,
          "worker "
              + id
              + ": heartbeat of incarnation "
              + incarnation
              + " refused, incarnation "
              + registered
              + " is registered under this id");
    }
    if (!m.alive) {
      return new Verdict(false, m.deathReason);
    }
    m.capacity = capacity;
    m.memory = memory;
    m.queueLength = queueLength;
    m.detector.heartbeat(scheduler.nanoTime());
    arm(id, m);
    return Verdict.COUNTED;
  }

  /** Schedules the check for the silence at which the worker is to be declared dead. */
  private void arm(String id, Member m) {
    if (m.timer != null) {
      m.timer.cancel();
    }
    long generation = ++m.generation;
    long silence = deathSilence(m.detector);
    m.dueNanos = m.detector.lastNanos() + silence;
    m.graced = false;
    long delay = Math.max(0, m.dueNanos - scheduler.nanoTime());
    m.timer = scheduler.schedule(Duration.ofNanos(delay), () -> expire(id, generation));
  }

  /** The silence after the last heartbeat at which {@code d} makes the worker dead. */
  long deathSilence(PhiAccrual d) {
    long floor = heartbeat.deadAfter().toNanos();
    long cap = heartbeat.maxSilence().toNanos();
    return Math.min(cap, Math.max(floor, d.silenceReaching(heartbeat.phiThreshold(), cap)));
  }

  /** The silence after which the worker {@code id} will be declared dead, if it stays silent. */
  public synchronized Optional<Duration> deathSilence(String id) {
    Member m = members.get(id);
    return m == null || !m.alive
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(deathSilence(m.detector)));
  }

  private void expire(String id, long generation) {
    Death death;
    synchronized (this) {
      Member m = members.get(id);
      if (m == null || !m.alive || m.generation != generation) {
        return;
      }
      long now = scheduler.nanoTime();
      long late = now - m.dueNanos;
      if (late > heartbeat.interval().toNanos() && !m.graced) {
        // The check itself ran late: the master was stalled too, and the worker's heartbeats may
        // wait in its queues. Look again one interval later (once) rather than blame the worker.
        m.graced = true;
        m.timer = scheduler.schedule(heartbeat.interval(), () -> expire(id, generation));
        LOG.info(
            "worker {}: the liveness check ran {} ms late (this master is busy); checking again in"
                + " {} ms",
            m.info.describe(),
            late / 1_000_000,
            heartbeat.interval().toMillis());
        return;
      }
      PhiAccrual d = m.detector;
      long silence = now - d.lastNanos();
      String reason =
          "worker "
              + m.info.describe()
              + " sent no heartbeat for "
              + silence / 1_000_000
              + " ms (recent intervals: mean "
              + ms(d.meanNanos())
              + " ms, stddev "
              + ms(d.stdDeviationNanos())
              + " ms; phi "
              + String.format(java.util.Locale.ROOT, "%.1f", d.phi(silence))
              + ", threshold "
              + heartbeat.phiThreshold()
              + ") and is considered dead";
      death = declareDead(m, reason, now);
    }
    announce(death);
  }

  /**
   * Marks {@code m} dead and gathers the evidence as of {@code now}; the caller announces it
   * outside the lock.
   */
  private Death declareDead(Member m, String reason, long now) {
    if (m.timer != null) {
      m.timer.cancel();
      m.timer = null;
    }
    m.generation++;
    m.alive = false;
    m.deathReason = "declared dead: " + reason;
    epoch++;
    PhiAccrual d = m.detector;
    long silence = now - d.lastNanos();
    String evidence =
        String.format(
            java.util.Locale.ROOT,
            "last heartbeat %d ms ago; recent intervals mean %d ms, stddev %d ms over %d; phi %.1f"
                + " (threshold %.1f, floor %d ms, max silence %d ms)",
            silence / 1_000_000,
            ms(d.meanNanos()),
            ms(d.stdDeviationNanos()),
            d.samples(),
            d.phi(silence),
            heartbeat.phiThreshold(),
            heartbeat.deadAfter().toMillis(),
            heartbeat.maxSilence().toMillis());
    return new Death(m.info, reason, evidence);
  }

  private void announce(Death death) {
    int affected = 0;
    for (Listener l : listeners) {
      affected += l.workerLost(death.worker(), death.reason());
    }
    LOG.warn(
        "worker {} (incarnation {}) declared dead: {}; {} instance(s) affected. Why: {}",
        death.worker().describe(),
        death.worker().incarnation(),
        death.evidence(),
        affected,
        death.reason());
  }

  private static long ms(double nanos) {
    return Math.round(nanos / 1_000_000);
  }

  /**
   * Marks the worker {@code id} draining ({@code on}) or not: a draining worker gets no new parts.
   * Returns it as registered; changing the mark bumps the {@link #epoch()}.
   *
   * @throws NotFoundException when no worker registered under {@code id}
   */
  public WorkerInfo drain(String id, boolean on) {
    WorkerInfo info;
    boolean changed;
    synchronized (this) {
      Member m = members.get(id);
      if (m == null) {
        throw new NotFoundException(
            "no worker "
                + id
                + " registered with this master (workers: "
                + (members.isEmpty() ? "none" : String.join(", ", members.keySet()))
                + ")");
      }
      changed = m.draining != on;
      m.draining = on;
      if (changed) {
        epoch++;
      }
      info = m.info;
    }
    if (changed) {
      LOG.info(
          on
              ? "worker {} (incarnation {}) is draining: it gets no new parts, its running parts"
                  + " finish"
              : "worker {} (incarnation {}) is no longer draining: it takes new parts again",
          info.describe(),
          info.incarnation());
    }
    return info;
  }

  /** Whether the worker {@code id} is draining (false when unknown). */
  public synchronized boolean draining(String id) {
    Member m = members.get(id);
    return m != null && m.draining;
  }

  /** Live workers that are draining, by id. */
  public synchronized List<String> liveDraining() {
    List<String> out = new ArrayList<>();
    members.forEach(
        (id, m) -> {
          if (m.alive && m.draining) out.add(id);
        });
    return out;
  }

  /** Live workers that take new parts (not draining), by id: what placements are computed over. */
  public synchronized List<WorkerInfo> placeable() {
    List<WorkerInfo> out = new ArrayList<>();
    members
        .values()
        .forEach(
            m -> {
              if (m.alive && !m.draining) out.add(m.info);
            });
    return out;
  }

  /** What each live, non-draining worker last reported free, by id. */
  public synchronized List<WorkerCapacity> placeableCapacities() {
    List<WorkerCapacity> out = new ArrayList<>();
    members
        .values()
        .forEach(
            m -> {
              if (m.alive && !m.draining) out.add(m.capacity);
            });
    return out;
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

  /**
   * Each live worker's registration number, by id: it changes whenever the worker registers (a
   * restart, or a return after it was declared dead), which tells a deployment that the worker may
   * have lost what it was sent.
   */
  public synchronized Map<String, Long> registrations() {
    Map<String, Long> out = new LinkedHashMap<>();
    members.forEach(
        (id, m) -> {
          if (m.alive) out.put(id, m.registration);
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

  /**
   * How long ago a live worker's last heartbeat (or its registration) arrived; empty if not live.
   */
  public synchronized Optional<Duration> heartbeatAge(String id) {
    Member m = members.get(id);
    return m == null || !m.alive
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(Math.max(0, scheduler.nanoTime() - m.detector.lastNanos())));
  }

  public synchronized boolean alive(String id) {
    Member m = members.get(id);
    return m != null && m.alive;
  }

  /** Changes whenever a worker registers, dies, or starts or stops draining. */
  public synchronized long epoch() {
    return epoch;
  }
}
