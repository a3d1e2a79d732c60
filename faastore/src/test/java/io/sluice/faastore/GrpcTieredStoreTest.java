package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.faastore.grpc.GrpcPeerOptions;
import io.sluice.faastore.grpc.GrpcPeerTransport;
import io.sluice.faastore.grpc.PeerAddresses;
import io.sluice.faastore.grpc.PeerDataServer;
import io.sluice.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract for the tiered store on worker w1 (real Redis) whose every value has a consumer on
 * worker w2, reached over gRPC on loopback: each put is also a push through {@link
 * GrpcPeerTransport}, and each deleteInstance a drop on w2.
 */
@IntegrationTest // needs Redis; two peers over gRPC
class GrpcTieredStoreTest extends RedisBackedContract {
  private static final DataPlacement PRODUCED_ON_W1_CONSUMED_ON_W2 =
      new DataPlacement() {
        @Override
        public Optional<String> producerWorker(DataKey key) {
          return Optional.of("w1");
        }

        @Override
        public Set<String> consumerWorkers(DataKey key) {
          return Set.of("w2");
        }
      };

  private final List<AutoCloseable> peers = new ArrayList<>();
  private final List<TieredStore> consumers = new ArrayList<>();

  @Override
  protected StoreMode mode() {
    return StoreMode.TIERED;
  }

  @Override
  protected DataStore newStore(StoreConfig config) {
    StoreConfig w2Config = config.toBuilder().budget(1L << 30).build();
    TieredStore w2 =
        TieredStore.create(
            w2Config,
            "w2",
            scheduler,
            Optional.empty(),
            new InJvmPeerTransport(),
            PRODUCED_ON_W1_CONSUMED_ON_W2);
    PeerDataServer server = PeerDataServer.onLoopback(w2.peerView(), GrpcPeerOptions.of(w2Config));
    GrpcPeerTransport transport =
        GrpcPeerTransport.create(
            PeerAddresses.of(Map.of("w2", server.address())), GrpcPeerOptions.of(config));
    peers.add(transport);
    peers.add(server);
    peers.add(w2);
    consumers.add(w2);
    return TieredStore.create(
        config,
        "w1",
        scheduler,
        Optional.of(RedisStore.connect(config, scheduler)),
        transport,
        PRODUCED_ON_W1_CONSUMED_ON_W2);
  }

  @AfterEach
  void stopPeers() throws Exception {
    for (AutoCloseable c : peers) {
      c.close();
    }
  }

  @Test
  void everyPutReachesTheConsumerWorker() {
    DataKey key = new DataKey("i1", "n1", "out");
    Blob value = randomBlob(5 << 20, 7);
    join(store.put(key, value));
    assertThat(join(consumers.get(0).get(key))).contains(value);
    assertThat(store.transfers("i1").peerBytes()).isEqualTo(5 << 20);
  }

  @Override
  @Test
  void noBytesStayBehindAfterAThousandInstances() {
    super.noBytesStayBehindAfterAThousandInstances();
    assertThat(consumers.get(0).usage().entries()).isZero();
    assertThat(consumers.get(0).usage().bytes()).isZero();
  }
}
