package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.testing.IntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract against a real redis-server. */
@IntegrationTest // needs Redis (scripts/services.sh)
class RedisStoreTest extends RedisBackedContract {
  @Override
  protected StoreMode mode() {
    return StoreMode.REDIS;
  }

  @Override
  protected DataStore newStore(StoreConfig config) {
    return RedisStore.connect(config, scheduler);
  }

  @Override
  protected Duration shortTtl() {
    return Duration.ofMillis(300);
  }

  @Test
  void largeValuesAreStoredAsChunksUnderTheInstanceHashTag() {
    join(store.put(new DataKey("ch", "n", "out"), randomBlob(5 * 1024 * 1024 + 1, 3)));
    assertThat(RedisTestSupport.keysUnder(uri, prefix))
        .hasSize(8)
        .allMatch(k -> k.startsWith(prefix + ":{ch}:"))
        .contains(prefix + ":{ch}:h:n/out", prefix + ":{ch}:keys")
        .anyMatch(
            k -> k.matches(java.util.regex.Pattern.quote(prefix) + ":\\{ch}:c:n/out:[^:]+:5"));
  }

  @Test
  void redisCountsItsBytesAsRedisTransfers() {
    join(store.put(new DataKey("t", "n", "out"), randomBlob(1000, 3)));
    join(store.get(new DataKey("t", "n", "out")));
    assertThat(store.transfers("t")).isEqualTo(new Transfers(0, 0, 2000));
  }
}
