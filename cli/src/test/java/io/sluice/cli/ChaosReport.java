package io.sluice.cli;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the chaos test reads after the run: the master logs' death declarations and part moves (to
 * time each recovery and to tell deaths of killed processes from false ones), each worker process's
 * incarnation (its own log), and the journal's count of calls made twice (the {@code dup} field of
 * each instance hash in Redis).
 */
final class ChaosReport {
  private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
  private static final Pattern DEATH =
      Pattern.compile(
          " - worker (\\S+) \\([^)]*\\) \\(incarnation (\\d+)\\) declared dead: .*; (\\d+)"
              + " instance\\(s\\) affected");
  private static final Pattern MOVE =
      Pattern.compile(
          " - instance (\\S+): part (\\S+) moved from dead worker (\\S+) to (\\S+) \\(");
  private static final Pattern REGISTERED =
      Pattern.compile("worker (\\S+) \\(incarnation (\\d+)\\) registered with the master");

  /** A "declared dead" line: which master log (0 = first), when, whom, whether it was killed. */
  record Death(int log, long atMs, String worker, long incarnation, int affected, boolean killed) {}

  /** A "moved from dead worker" line, with the death it follows (null: none in the same log). */
  record Move(
      int log, long atMs, String instance, String part, String from, String to, Death cause) {}

  final List<Death> deaths = new ArrayList<>();
  final List<Move> moves = new ArrayList<>();

  private ChaosReport() {}

  /**
   * Reads the master logs (oldest first); {@code killed} holds "WORKER/INCARNATION" of every worker
   * process that was SIGKILLed; {@code nearMs} is a time during the run (log lines carry only the
   * time of day).
   */
  static ChaosReport read(List<Path> masterLogs, Set<String> killed, long nearMs)
      throws IOException {
    ChaosReport r = new ChaosReport();
    for (int i = 0; i < masterLogs.size(); i++) {
      Path log = masterLogs.get(i);
      if (!Files.exists(log)) {
        continue;
      }
      Map<String, Death> lastDeath = new LinkedHashMap<>();
      for (String line : Files.readAllLines(log)) {
        Matcher t = TIME.matcher(line);
        if (!t.find()) {
          continue;
        }
        long at = epochMs(t.group(1), nearMs);
        Matcher d = DEATH.matcher(line);
        if (d.find()) {
          String w = d.group(1);
          long inc = Long.parseLong(d.group(2));
          Death death =
              new Death(
                  i, at, w, inc, Integer.parseInt(d.group(3)), killed.contains(w + "/" + inc));
          r.deaths.add(death);
          lastDeath.put(w, death);
          continue;
        }
        Matcher m = MOVE.matcher(line);
        if (m.find()) {
          String from = m.group(3);
          r.moves.add(
              new Move(i, at, m.group(1), m.group(2), from, m.group(4), lastDeath.get(from)));
        }
      }
    }
    return r;
  }

  /** The incarnation a worker process logged when it registered first (0 if it did not). */
  static long incarnation(Path workerLog) throws IOException {
    if (!Files.exists(workerLog)) {
      return 0;
    }
    for (String line : Files.readAllLines(workerLog)) {
      Matcher m = REGISTERED.matcher(line);
      if (m.find()) {
        return Long.parseLong(m.group(2));
      }
    }
    return 0;
  }

  /** A log line's time of day as epoch ms, on the day that puts it nearest {@code nearMs}. */
  static long epochMs(String timeOfDay, long nearMs) {
    ZoneId zone = ZoneId.systemDefault();
    LocalTime t = LocalTime.parse(timeOfDay);
    LocalDate day = java.time.Instant.ofEpochMilli(nearMs).atZone(zone).toLocalDate();
    long best = 0;
    for (int d = -1; d <= 1; d++) {
      long ms = day.plusDays(d).atTime(t).atZone(zone).toInstant().toEpochMilli();
      if (d == -1 || Math.abs(ms - nearMs) < Math.abs(best - nearMs)) {
        best = ms;
      }
    }
    return best;
  }

  /** The first declaration of {@code worker}'s {@code incarnation} dead, if any. */
  Death deathOf(String worker, long incarnation) {
    for (Death d : deaths) {
      if (d.worker().equals(worker) && d.incarnation() == incarnation) {
        return d;
      }
    }
    return null;
  }

  /** The moves that followed {@code death} (the same worker's next death ends them). */
  List<Move> movesAfter(Death death) {
    List<Move> out = new ArrayList<>();
    for (Move m : moves) {
      if (m.cause() == death) {
        out.add(m);
      }
    }
    return out;
  }

  /** Instances with a part moved after a death of a process that was not killed (a false one). */
  Set<String> touchedByFalseDeaths() {
    Set<String> out = new java.util.TreeSet<>();
    for (Move m : moves) {
      if (m.cause() == null || !m.cause().killed()) {
        out.add(m.instance());
      }
    }
    return out;
  }

  /**
   * The instances some of whose parts moved (their journal hash has an {@code m:} field): a call
   * running on a killed worker whose outcome write was already in the dead process's socket buffer
   * reaches Redis after its death, and the heir, which loaded the journal before, offers its own
   * outcome too — counted in {@code dup}, the first one used by both. Legitimate only there.
   */
  static java.util.Set<String> moved(String redisUri, String prefix) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisCommands<String, String> redis = c.sync();
      ScanArgs match = ScanArgs.Builder.matches(prefix + "{*").limit(500);
      KeyScanCursor<String> cur = redis.scan(match);
      for (int round = 0; round < 100_000; round++) {
        for (String key : cur.getKeys()) {
          if (redis.hkeys(key).stream().anyMatch(f -> f.startsWith("m:"))) {
            out.add(key.substring(prefix.length() + 1, key.length() - 1));
          }
        }
        if (cur.isFinished()) {
          break;
        }
        cur = redis.scan(ScanCursor.of(cur.getCursor()), match);
      }
    } finally {
      client.shutdown();
    }
    return out;
  }

  /** Instance id -> its journal hash's {@code dup} count, for every hash under {@code prefix}. */
  static Map<String, Long> duplicates(String redisUri, String prefix) {
    Map<String, Long> out = new LinkedHashMap<>();
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisCommands<String, String> redis = c.sync();
      ScanArgs match = ScanArgs.Builder.matches(prefix + "{*").limit(500);
      KeyScanCursor<String> cur = redis.scan(match);
      for (int round = 0; round < 100_000; round++) {
        for (String key : cur.getKeys()) {
          String dup = redis.hget(key, io.sluice.cluster.durable.RedisJournal.DUPLICATES);
          String id = key.substring(prefix.length() + 1, key.length() - 1);
          out.put(id, dup == null ? 0 : Long.parseLong(dup));
        }
        if (cur.isFinished()) {
          break;
        }
        cur = redis.scan(ScanCursor.of(cur.getCursor()), match);
      }
    } finally {
      client.shutdown();
    }
    return out;
  }

  /**
   * Writes the journal hash of each of {@code ids} to {@code dir}/journal-ID.txt (one field a
   * line), the evidence of a failed instance once the run's keys are deleted.
   */
  static void dump(String redisUri, String prefix, List<String> ids, Path dir) throws IOException {
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      for (String id : ids) {
        StringBuilder text = new StringBuilder();
        c.sync()
            .hgetall(prefix + "{" + id + "}")
            .forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        Files.writeString(dir.resolve("journal-" + id + ".txt"), text);
      }
    } finally {
      client.shutdown();
    }
  }

  /** Deletes every key under {@code prefix}; how many. */
  static long deleteKeys(String redisUri, String prefix) {
    long n = 0;
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisCommands<String, String> redis = c.sync();
      ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(500);
      KeyScanCursor<String> cur = redis.scan(match);
      for (int round = 0; round < 100_000; round++) {
        if (!cur.getKeys().isEmpty()) {
          n += redis.del(cur.getKeys().toArray(new String[0]));
        }
        if (cur.isFinished()) {
          break;
        }
        cur = redis.scan(ScanCursor.of(cur.getCursor()), match);
      }
    } finally {
      client.shutdown();
    }
    return n;
  }

  /** "min / median / max" of {@code ms} in seconds, or "-" when empty. */
  static String spread(List<Long> ms) {
    if (ms.isEmpty()) {
      return "-";
    }
    List<Long> s = new ArrayList<>(ms);
    s.sort(null);
    return String.format(
        java.util.Locale.ROOT,
        "%.2f / %.2f / %.2f s",
        s.get(0) / 1e3,
        s.get(s.size() / 2) / 1e3,
        s.get(s.size() - 1) / 1e3);
  }

  /** The host's load averages (1, 5, 15 min) as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
