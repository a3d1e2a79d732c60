package io.sluice.faastore;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.testing.IntegrationTest;
import java.util.Optional;

/** The contract for the tiered store on worker w1, with a real Redis and an in-JVM peer w2. */
@IntegrationTest // needs Redis (scripts/services.sh)
class TieredStoreTest extends RedisBackedContract {
  @Override
  protected StoreMode mode() {
    return StoreMode.TIERED;
  }

  @Override
  protected DataStore newStore(StoreConfig config) {
    InJvmPeerTransport peers = new InJvmPeerTransport();
    TieredStore w2 =
        TieredStore.create(
            config, "w2", scheduler, Optional.empty(), peers, DataPlacement.allOn("w2"));
    peers.register("w2", w2.peerView());
    return TieredStore.create(
        config,
        "w1",
        scheduler,
        Optional.of(RedisStore.connect(config, scheduler)),
        peers,
        DataPlacement.allOn("w1"));
  }
}
