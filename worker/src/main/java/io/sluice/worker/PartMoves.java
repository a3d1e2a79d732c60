package io.sluice.worker;

import io.sluice.cluster.durable.Journal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a worker of a durable cluster knows about parts of running instances that moved from dead
 * workers to others (docs/durability.md): where to send their edge events now, and whose events to
 * refuse (a worker declared dead may still be running: it is fenced). Also holds the cluster's
 * journal. Empty, and one map lookup on the send path, unless a worker died.
 */
public final class PartMoves {
  private static final class Moves {
    final Map<String, String> holderOf = new ConcurrentHashMap<>();
    final Set<String> dead = ConcurrentHashMap.newKeySet();
  }

  private final ConcurrentHashMap<String, Moves> byInstance = new ConcurrentHashMap<>();
  private final AtomicLong fenced = new AtomicLong();
  private volatile Journal journal = Journal.NONE;

  public Journal journal() {
    return journal;
  }

  void journal(Journal journal) {
    this.journal = journal;
  }

  /** The worker that runs {@code worker}'s part of an instance now (itself unless it moved). */
  String target(String instanceId, String worker) {
    if (byInstance.isEmpty()) {
      return worker;
    }
    Moves m = byInstance.get(instanceId);
    return m == null ? worker : m.holderOf.getOrDefault(worker, worker);
  }

  /** The part {@code part} of an instance runs on {@code holder} now; {@code part} is fenced. */
  void moved(String instanceId, String part, String holder) {
    Moves m = byInstance.computeIfAbsent(instanceId, id -> new Moves());
    String before = m.holderOf.put(part, holder);
    if (!part.equals(holder)) {
      m.dead.add(part);
    }
    if (before != null && !before.equals(holder)) {
      m.dead.add(before); // the heir before this one died too: its late events are refused
    }
  }

  /**
   * Whether an edge event of an instance from {@code sender} must be refused: the master declared
   * that worker dead for the instance and moved its part (its late events would race its heir's).
   */
  boolean fenced(String instanceId, String sender) {
    if (byInstance.isEmpty()) {
      return false;
    }
    Moves m = byInstance.get(instanceId);
    if (m != null && m.dead.contains(sender)) {
      fenced.incrementAndGet();
      return true;
    }
    return false;
  }

  /** The instance ended: nothing more to route or refuse for it. */
  void forget(String instanceId) {
    if (!byInstance.isEmpty()) {
      byInstance.remove(instanceId);
    }
  }

  /** Edge events refused from fenced workers. */
  public long fencedEvents() {
    return fenced.get();
  }
}
