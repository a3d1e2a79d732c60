package io.sluice.faastore;

import static io.sluice.faastore.DataStoreContract.join;
import static io.sluice.faastore.DataStoreContract.randomBlob;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.ManualScheduler;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two tiered workers in one JVM: node a runs on w1 and feeds b on w2; node big (over the peer push
 * limit) runs on w1 and feeds b too; node local runs on w1 and feeds c on w1.
 */
@IntegrationTest // needs Redis (scripts/services.sh)
class TieredRoutingTest {
  private static final DataPlacement PLACEMENT =
      DataPlacement.of(
          Map.of("a", "w1", "big", "w1", "local", "w1", "b", "w2", "c", "w1"),
          Map.of("a", Set.of("b"), "big", Set.of("b"), "local", Set.of("c")));
  private final ManualScheduler scheduler = new ManualScheduler();
  private final InJvmPeerTransport peers = new InJvmPeerTransport();
  private TieredStore w1;
  private TieredStore w2;

  private void startWorkers(Optional<URI> redis, String prefix) {
    StoreConfig.Builder b =
        StoreConfig.builder()
            .mode(StoreMode.TIERED)
            .budget(64L << 20)
            .peerPushMaxBytes(1L << 20)
            .keyPrefix(prefix);
    redis.ifPresent(b::redisUri);
    StoreConfig config = b.build();
    w1 =
        TieredStore.create(
            config,
            "w1",
            scheduler,
            redis.map(u -> RedisStore.connect(config, scheduler)),
            peers,
            PLACEMENT);
    w2 =
        TieredStore.create(
            config,
            "w2",
            scheduler,
            redis.map(u -> RedisStore.connect(config, scheduler)),
            peers,
            PLACEMENT);
    peers.register("w1", w1.peerView()).register("w2", w2.peerView());
  }

  @AfterEach
  void stop() {
    w1.close();
    w2.close();
  }

  @Test
  void withoutRedisRemoteConsumersGetPushesAndLocalOnesReadMemory() {
    startWorkers(Optional.empty(), "sluice");
    Blob a = randomBlob(4000, 1);
    Blob big = randomBlob(3 << 20, 2);
    Blob local = randomBlob(500, 3);
    join(w1.put(new DataKey("i", "a", "out"), a));
    join(w1.put(new DataKey("i", "big", "out"), big));
    join(w1.put(new DataKey("i", "local", "out"), local));

    assertThat(join(w2.peerView().get(new DataKey("i", "a", "out")))).contains(a);
    assertThat(join(w2.get(new DataKey("i", "big", "out")))).contains(big);
    assertThat(join(w1.get(new DataKey("i", "local", "out")))).contains(local);
    assertThat(join(w2.peerView().get(new DataKey("i", "local", "out")))).isEmpty();

    assertThat(w1.transfers("i")).isEqualTo(new Transfers(500, 4000 + (3 << 20), 0));
    join(w1.deleteInstance("i"));
    assertThat(w1.usage().bytes()).isZero();
    assertThat(w2.usage().bytes()).isZero();
  }

  @Test
  void withRedisLargeValuesForRemoteConsumersGoThroughRedis() {
    URI uri = RedisTestSupport.redisUri();
    String prefix = RedisTestSupport.uniquePrefix();
    startWorkers(Optional.of(uri), prefix);
    Blob big = randomBlob(3 << 20, 2);
    DataKey key = new DataKey("j", "big", "out");
    join(w1.put(key, big));
    assertThat(w1.peerView().usage().entries()).isZero();
    assertThat(join(w2.get(key))).contains(big);
    assertThat(w1.transfers("j")).isEqualTo(new Transfers(0, 0, 3 << 20));
    assertThat(w2.transfers("j")).isEqualTo(new Transfers(0, 0, 3 << 20));

    Blob a = randomBlob(4000, 1);
    join(w1.put(new DataKey("j", "a", "out"), a));
    assertThat(join(w2.get(new DataKey("j", "a", "out")))).contains(a);
    assertThat(w2.transfers("j").localBytes()).isEqualTo(4000);

    join(w1.deleteInstance("j"));
    join(w2.deleteInstance("j"));
    assertThat(RedisTestSupport.keysUnder(uri, prefix)).isEmpty();
    assertThat(w2.usage().entries()).isZero();
  }

  @Test
  void aConsumerWhosePushNeverArrivedFetchesFromTheProducer() {
    startWorkers(Optional.empty(), "sluice");
    Blob a = randomBlob(4000, 1);
    DataKey key = new DataKey("k", "a", "out");
    join(w1.put(key, a));
    join(w2.peerView().delete(key));
    assertThat(join(w2.get(key))).contains(a);
    assertThat(w2.transfers("k").peerBytes()).isEqualTo(4000);
  }

  @Test
  void inlineThresholdIsExposedForTheEngine() {
    startWorkers(Optional.empty(), "sluice");
    long threshold = StoreConfig.DEFAULT_INLINE_THRESHOLD;
    assertThat(w1.inline(threshold)).isTrue();
    assertThat(w1.inline(threshold + 1)).isFalse();
  }
}
