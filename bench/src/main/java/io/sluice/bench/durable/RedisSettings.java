package io.sluice.bench.durable;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Map;

/**
 * What a durability figure must be stated with: the Redis's own persistence settings ({@code
 * appendonly}, {@code appendfsync}: whether a Redis restart keeps the journal, and whether each
 * write waits for a disk sync) and the machine's load.
 */
public final class RedisSettings {
  private RedisSettings() {}

  /**
   * E.g. {@code Redis at 127.0.0.1:16379, appendonly=no appendfsync=everysec, load average 2.1}.
   */
  public static String describe(URI uri) {
    RedisClient client = RedisClient.create(uri.toString());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      Map<String, String> aof = c.sync().configGet("appendonly", "appendfsync");
      return String.format(
          "Redis at %s:%d, appendonly=%s appendfsync=%s, load average %.2f",
          uri.getHost(),
          uri.getPort(),
          aof.get("appendonly"),
          aof.get("appendfsync"),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      client.shutdown();
    }
  }
}
