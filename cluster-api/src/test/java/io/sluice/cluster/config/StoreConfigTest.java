package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.format.ByteSizes;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

  @Test
  void readsConfigurationKeys() {
    StoreConfig c =
        StoreConfig.fromMap(
            keys(
                "mode",
                "tiered",
                "slots",
                "8",
                "granted-memory-per-slot",
                "256MiB",
                "reclaim-ratio",
                "0.25",
                "chunk-size",
                "512KiB",
                "inline-threshold",
                "4KiB",
                "max-value-size",
                "1GiB",
                "ttl",
                "30m",
                "redis-uri",
                "redis://127.0.0.1:16379",
                "redis-timeout",
                "2s",
                "peer-push-max",
                "8MiB"));
    assertThat(c.mode()).isEqualTo(StoreMode.TIERED);
    assertThat(c.initialBudget()).isEqualTo(512L << 20);
    assertThat(c.chunkSize()).isEqualTo(512L << 10);
    assertThat(c.inline(4096)).isTrue();
    assertThat(c.inline(4097)).isFalse();
    assertThat(c.maxValueSize()).isEqualTo(1L << 30);
    assertThat(c.ttl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.redisUri()).contains(URI.create("redis://127.0.0.1:16379"));
    assertThat(c.redisTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.peerPushMaxBytes()).isEqualTo(8L << 20);
  }

  private static Map<String, String> keys(String... kv) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void rejectsBadValuesSayingWhichKeyAndWhy() {
    assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("mode", "redis")))
        .hasMessageContaining("redis-uri")
        .hasMessageContaining("mode redis needs");
    assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("chunk-size", "0")))
        .hasMessageContaining("chunk-size");
    assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("ttl", "soon")))
        .hasMessageContaining("ttl = 'soon'");
    assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("budget", "lots")))
        .hasMessageContaining("bad size 'lots'");
    assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("colour", "blue")))
        .hasMessageContaining("unknown store config key 'colour'");
    assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("mode", "disk")))
        .hasMessageContaining("use memory, redis or tiered");
    assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("redis-uri", "http://x:1")))
        .hasMessageContaining("redis://HOST:PORT");
    assertThatThrownBy(
            () ->
                StoreConfig.fromMap(
                    Map.of("slots", "4", "granted-memory-per-slot", "1GB", "reclaim-ratio", "1.5")))
        .hasMessageContaining("reclaim ratio");
  }

  @Test
  void sizesFollowOneRule() {
    // One rule for every size: KB/MB powers of 1000, KiB/MiB powers of 1024.
    assertThat(ByteSizes.parse("64MB")).isEqualTo(64_000_000L);
    assertThat(ByteSizes.parse("64MiB")).isEqualTo(64L << 20);
    assertThat(ByteSizes.parse("1kb")).isEqualTo(1000);
    assertThat(ByteSizes.parse("1KiB")).isEqualTo(1024);
    assertThat(ByteSizes.parse("17")).isEqualTo(17);
    assertThat(ByteSizes.format(64L << 20)).isEqualTo("64MiB");
    assertThat(ByteSizes.format(64_000_000L)).isEqualTo("64MB");
    assertThat(ByteSizes.format(1500)).isEqualTo("1500B");
    assertThat(StoreConfig.fromMap(Map.of("inline-threshold", "64KB")).inlineThreshold())
        .isEqualTo(64_000);
  }
}
