package io.sluice.worker;

import com.google.protobuf.Timestamp;
import io.sluice.cluster.config.LogsConfig;
import io.sluice.engine.CallLogs;
import io.sluice.proto.GetLogsResponse;
import io.sluice.proto.LogEntry;
import io.sluice.runtime.CallTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output logs of this worker's function calls, for {@code WorkerService.GetLogs}: per top-level
 * instance, one entry per call that left a log (node, attempt, map item), in the order the calls
 * ended. Bounded three ways: each entry keeps the last {@link LogsConfig#entryBytes()} of its log
 * (marked truncated); the logs of at most {@link LogsConfig#instances()} instances are kept, the
 * instance whose first log came earliest going first; and all entries together hold at most {@link
 * LogsConfig#totalBytes()} (oldest instances go first; an instance alone over it loses its oldest
 * entries). Memory only: a restarted worker has none.
 */
public final class InvocationLogs implements CallLogs {
  /** What an entry costs beyond its text (ids, numbers, object headers), for the total. */
  static final int ENTRY_OVERHEAD = 128;

  private record Entry(
      CallLogs.Call call, String stream, String text, boolean truncated, int cost) {}

  private final String workerId;
  private final LogsConfig config;
  private final LinkedHashMap<String, List<Entry>> byInstance = new LinkedHashMap<>();
  private long bytes;
  private long evictedInstances;

  public InvocationLogs(String workerId, LogsConfig config) {
    this.workerId = workerId;
    this.config = config;
  }

  @Override
  public void logs(CallLogs.Call call, CallTime.Log log) {
    if (config.entryBytes() == 0 || log.text() == null || log.text().isEmpty()) {
      return;
    }
    Tail t = tail(log.text(), (int) config.entryBytes());
    Entry e =
        new Entry(
            call,
            log.stream(),
            t.text(),
            t.truncated() || log.truncated(),
            t.bytes() + ENTRY_OVERHEAD);
    synchronized (this) {
      byInstance.computeIfAbsent(call.instanceId(), k -> new ArrayList<>()).add(e);
      bytes += e.cost();
      while (byInstance.size() > config.instances()) {
        evictOldest();
      }
      while (bytes > config.totalBytes() && byInstance.size() > 1) {
        evictOldest();
      }
      if (bytes > config.totalBytes()) {
        List<Entry> only = byInstance.get(call.instanceId());
        Iterator<Entry> it = only.iterator();
        while (bytes > config.totalBytes() && it.hasNext()) {
          bytes -= it.next().cost();
          it.remove();
        }
      }
    }
  }

  private void evictOldest() {
    Iterator<Map.Entry<String, List<Entry>>> it = byInstance.entrySet().iterator();
    for (Entry e : it.next().getValue()) {
      bytes -= e.cost();
    }
    it.remove();
    evictedInstances++;
  }

  /**
   * The logs kept of {@code instanceId}, of node {@code nodeId} only unless it is empty, each cut
   * to its last {@code maxBytes} (0 = as kept).
   */
  public GetLogsResponse get(String instanceId, String nodeId, int maxBytes) {
    List<Entry> kept;
    synchronized (this) {
      List<Entry> l = byInstance.get(instanceId);
      kept = l == null ? List.of() : List.copyOf(l);
    }
    GetLogsResponse.Builder r = GetLogsResponse.newBuilder();
    for (Entry e : kept) {
      if (nodeId != null && !nodeId.isEmpty() && !nodeId.equals(e.call().nodeId())) {
        continue;
      }
      String text = e.text();
      boolean truncated = e.truncated();
      if (maxBytes > 0) {
        Tail t = tail(text, maxBytes);
        text = t.text();
        truncated |= t.truncated();
      }
      long ms = e.call().timeMillis();
      r.addEntries(
          LogEntry.newBuilder()
              .setNodeId(e.call().nodeId())
              .setWorkerId(workerId)
              .setAttempt(e.call().attempt())
              .setItem(e.call().item())
              .setRuntime(e.call().runtime())
              .setStream(e.stream())
              .setText(text)
              .setTruncated(truncated)
              .setTime(
                  Timestamp.newBuilder()
                      .setSeconds(Math.floorDiv(ms, 1000))
                      .setNanos((int) Math.floorMod(ms, 1000) * 1_000_000)));
    }
    return r.build();
  }

  /** What all kept entries hold, counting {@link #ENTRY_OVERHEAD} each. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Instances whose logs are kept. */
  public synchronized int instances() {
    return byInstance.size();
  }

  /** Instances whose logs were let go to stay within the bounds. */
  public synchronized long evictedInstances() {
    return evictedInstances;
  }

  /** A text's last {@code max} UTF-8 bytes, starting on a whole character. */
  record Tail(String text, boolean truncated, int bytes) {}

  static Tail tail(String text, int max) {
    if (text.length() <= max / 3) { // fits whatever its characters: no encoding needed
      return new Tail(text, false, text.length());
    }
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length <= max) {
      return new Tail(text, false, b.length);
    }
    int start = b.length - max;
    while (start < b.length && (b[start] & 0xC0) == 0x80) {
      start++;
    }
    return new Tail(
        new String(b, start, b.length - start, StandardCharsets.UTF_8), true, b.length - start);
  }
}
