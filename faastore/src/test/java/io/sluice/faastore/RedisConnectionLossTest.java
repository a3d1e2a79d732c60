package io.sluice.faastore;

import static io.sluice.faastore.DataStoreContract.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.LinkConfig;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.cluster.net.LinkEmulator;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.ManualScheduler;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Losing Redis gives retryable errors within the timeout, never a hang. */
@IntegrationTest // needs Redis (scripts/services.sh)
class RedisConnectionLossTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final String prefix = RedisTestSupport.uniquePrefix();

  private StoreConfig via(int port) {
    return StoreConfig.builder()
        .mode(StoreMode.REDIS)
        .redisUri(URI.create("redis://127.0.0.1:" + port))
        .redisTimeout(Duration.ofSeconds(1))
        .keyPrefix(prefix)
        .build();
  }

  @Test
  void connectingToNothingIsRetryable() throws Exception {
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    assertThatThrownBy(() -> RedisStore.connect(via(freePort), scheduler))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + freePort)
        .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
  }

  @Test
  void losingTheConnectionFailsOperationsWithRetryableErrors() throws Exception {
    URI real = RedisTestSupport.redisUri();
    // a plain relay (no latency, no limit) that closing cuts: every connection and the listener
    try (LinkEmulator proxy = new LinkEmulator("redis-loss", new LinkConfig(Duration.ZERO, 0));
        RedisStore store = RedisStore.connect(via(proxy.route(real, 6379).getPort()), scheduler)) {
      DataKey key = new DataKey("lost", "n", "out");
      join(store.put(key, Blob.wrap(new byte[] {1, 2, 3})));
      proxy.close();
      for (int attempt = 0; attempt < 3; attempt++) {
        assertThatThrownBy(() -> join(store.get(key)))
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("get lost/n/out");
      }
    }
    try (RedisStore direct = RedisStore.connect(via(real.getPort()), scheduler)) {
      join(direct.deleteInstance("lost"));
    }
    assertThat(RedisTestSupport.keysUnder(real, prefix)).isEmpty();
  }
}
