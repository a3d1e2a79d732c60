package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract for the tiered store on worker w1, with a real Redis and an in-JVM peer w2. */
class TieredStoreTest extends DataStoreContract {
  private URI uri;
  private String prefix;

  @Override
  @BeforeEach
  void openStore() {
    uri = RedisTestSupport.redisUri();
    prefix = RedisTestSupport.uniquePrefix();
    super.openStore();
  }

  @Override
  protected StoreConfig.Builder config() {
    return super.config().mode(StoreMode.TIERED).redisUri(uri).keyPrefix(prefix);
  }

  @Override
  protected DataStore newStore(StoreConfig config) {
    InJvmPeerTransport peers = new InJvmPeerTransport();
    TieredStore w2 =
        TieredStore.create(config, "w2", scheduler, Optional.empty(), peers, Placement.allOn("w2"));
    peers.register("w2", w2.peerView());
    return TieredStore.create(
        config,
        "w1",
        scheduler,
        Optional.of(RedisStore.connect(config, scheduler)),
        peers,
        Placement.allOn("w1"));
  }

  @AfterEach
  void deleteLeftovers() {
    RedisTestSupport.deleteUnder(uri, prefix);
  }

  @Override
  protected void assertNothingLeftBehind() {
    assertThat(RedisTestSupport.keysUnder(uri, prefix)).isEmpty();
  }
}
