package io.sluice.master.progress;

import io.sluice.cluster.wire.WireMapper;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.HistoryEvent;
import io.sluice.proto.NodeProgress;
import io.sluice.proto.NodeRun;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One instance's node table (a row per top-level node, in graph order) and its bounded history
 * ring, as the master knows them from the workers' progress reports and its own steps. Every method
 * locks the instance: steps of one instance are recorded, numbered and heard in one order.
 */
public final class InstanceProgress {
  private final String instanceId;
  private final Map<String, NodeRun.Builder> nodes = new LinkedHashMap<>();
  private final ArrayDeque<HistoryEvent> history = new ArrayDeque<>();
  private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();
  private final int cap;
  private long seq;
  private long dropped;
  private long endedAtMillis;

  InstanceProgress(String instanceId, List<String> nodeIds, int cap) {
    this.instanceId = instanceId;
    this.cap = cap;
    for (String n : nodeIds) {
      nodes.put(n, NodeRun.newBuilder().setNodeId(n).setState("pending"));
    }
  }

  public String instanceId() {
    return instanceId;
  }

  /** Records a worker's (or the master engine's) node step; returns how many steps it added. */
  synchronized int node(String workerId, NodeProgress p) {
    String state = p.getState();
    NodeRun.Builder row = nodes.get(p.getNodeId());
    if (row == null) { // a node the graph does not name (a newer version's?): kept, at the end
      row = NodeRun.newBuilder().setNodeId(p.getNodeId()).setState("pending");
      nodes.put(p.getNodeId(), row);
    }
    long time = p.getTimeMillis();
    boolean item = p.getItem() > 0;
    if (p.getItemsTotal() > row.getItemsTotal()) {
      row.setItemsTotal(p.getItemsTotal());
    }
    if (!workerId.isEmpty() && (row.getWorkerId().isEmpty() || !item)) {
      row.setWorkerId(workerId);
    }
    if (item) {
      if (row.getState().equals("pending")) {
        row.setState("running");
        row.setStarted(WireMapper.timestamp(time));
      }
      if (state.equals("completed") || state.equals("failed") || state.equals("skipped")) {
        row.setItemsDone(row.getItemsDone() + 1);
      }
    } else {
      row.setAttempts(Math.max(row.getAttempts(), p.getAttempt()));
      switch (state) {
        case "started" -> {
          if (!row.hasStarted() || row.getState().equals("retrying")) {
            row.setStarted(WireMapper.timestamp(time));
          }
          row.setState("running").clearFinished().clearDuration().clearError();
        }
        case "completed", "failed", "skipped" -> {
          row.setState(state).setFinished(WireMapper.timestamp(time));
          if (p.getDurationNanos() > 0) {
            row.setDuration(WireMapper.duration(Duration.ofNanos(p.getDurationNanos())));
          } else if (row.hasStarted()) {
            long ms = time - WireMapper.epochMillis(row.getStarted());
            row.setDuration(WireMapper.duration(Duration.ofMillis(Math.max(0, ms))));
          }
        }
        case "retrying", "waiting" -> row.setState(state);
        default -> row.setState(state);
      }
      if (p.hasError()) {
        row.setError(p.getError());
      }
    }
    HistoryEvent.Builder e =
        HistoryEvent.newBuilder()
            .setTime(WireMapper.timestamp(time))
            .setType("node." + state)
            .setNodeId(item ? p.getNodeId() + "[" + (p.getItem() - 1) + "]" : p.getNodeId())
            .setWorkerId(workerId)
            .setAttempt(p.getAttempt());
    if (p.getDurationNanos() > 0) {
      e.setDuration(WireMapper.duration(Duration.ofNanos(p.getDurationNanos())));
    }
    if (p.hasError()) {
      e.setDetail(detail(p.getError()));
    }
    return add(e, row.build());
  }

  private static String detail(ErrorInfo e) {
    return e.getMessage().isEmpty() ? e.getType() : e.getType() + ": " + e.getMessage();
  }

  /** Records an instance-level step of the master's ({@code event.received}, …). */
  synchronized int step(String type, String nodeId, String workerId, long timeMillis, String d) {
    return add(
        HistoryEvent.newBuilder()
            .setTime(WireMapper.timestamp(timeMillis))
            .setType(type)
            .setNodeId(nodeId == null ? "" : nodeId)
            .setWorkerId(workerId == null ? "" : workerId)
            .setDetail(d == null ? "" : d),
        null);
  }

  private int add(HistoryEvent.Builder e, NodeRun row) {
    HistoryEvent event = e.setSeq(++seq).build();
    history.addLast(event);
    int added = 1;
    if (history.size() > cap) {
      history.pollFirst();
      dropped++;
      added = 0;
    }
    for (ProgressListener l : listeners) {
      try {
        l.step(row, event);
      } catch (RuntimeException ignored) {
        // a listener's failure (a client gone) is its own
      }
    }
    return added;
  }

  /** Drops the oldest kept step (the master's total cap); false when none is kept. */
  synchronized boolean trimOldest() {
    if (history.pollFirst() == null) {
      return false;
    }
    dropped++;
    return true;
  }

  /** Drops every kept step; returns how many. */
  synchronized int trimAll() {
    int n = history.size();
    history.clear();
    dropped += n;
    return n;
  }

  synchronized void addDropped(long n) {
    dropped += n;
  }

  synchronized void ended(long atMillis) {
    endedAtMillis = atMillis;
  }

  /** Wall time the instance ended, 0 while it runs. */
  public synchronized long endedAtMillis() {
    return endedAtMillis;
  }

  /** The node table now, in graph order. */
  public synchronized List<NodeRun> nodes() {
    List<NodeRun> out = new ArrayList<>(nodes.size());
    nodes.values().forEach(b -> out.add(b.build()));
    return out;
  }

  /** Counts of the table: [completed or failed, skipped]. */
  public synchronized int[] counts() {
    int executed = 0;
    int skipped = 0;
    for (NodeRun.Builder b : nodes.values()) {
      switch (b.getState()) {
        case "completed", "failed" -> executed++;
        case "skipped" -> skipped++;
        default -> {}
      }
    }
    return new int[] {executed, skipped};
  }

  /** The workers the table names. */
  public synchronized Set<String> workers() {
    Set<String> out = new TreeSet<>();
    nodes.values().forEach(b -> out.add(b.getWorkerId()));
    out.remove("");
    return out;
  }

  /** A page of the history: up to {@code limit} steps with a seq after {@code afterSeq}. */
  public synchronized HistoryPage page(long afterSeq, int limit) {
    List<HistoryEvent> out = new ArrayList<>(Math.min(limit, history.size()));
    boolean more = false;
    for (HistoryEvent e : history) { // seqs ascend: skip to the page's start
      if (e.getSeq() <= afterSeq) {
        continue;
      }
      if (out.size() == limit) {
        more = true;
        break;
      }
      out.add(e);
    }
    long last = out.isEmpty() ? Math.max(afterSeq, 0) : out.get(out.size() - 1).getSeq();
    return new HistoryPage(out, last, more, dropped);
  }

  /** One page of an instance's history. */
  public record HistoryPage(List<HistoryEvent> events, long lastSeq, boolean more, long dropped) {}

  /** The steps kept now. */
  public synchronized int size() {
    return history.size();
  }

  /**
   * Adds {@code l} and calls {@code snapshot} with the table as it is then, both under the lock:
   * the listener hears every step after that snapshot and none before.
   */
  public synchronized void listen(
      ProgressListener l, java.util.function.Consumer<List<NodeRun>> snapshot) {
    snapshot.accept(nodes());
    listeners.add(l);
  }

  public void unlisten(ProgressListener l) {
    listeners.remove(l);
  }
}
