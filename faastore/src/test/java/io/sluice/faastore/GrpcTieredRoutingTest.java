package io.sluice.faastore;

import static io.sluice.faastore.DataStoreContract.join;
import static io.sluice.faastore.DataStoreContract.randomBlob;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.faastore.grpc.GrpcPeerOptions;
import io.sluice.faastore.grpc.GrpcPeerTransport;
import io.sluice.faastore.grpc.PeerDataServer;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.ManualScheduler;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tiered workers in one JVM, each with its own memory store, gRPC server and gRPC transport,
 * talking over loopback: node a runs on w1 and feeds b on w2; node local runs on w1 and feeds c on
 * w1.
 */
@IntegrationTest // two store peers over gRPC on loopback
class GrpcTieredRoutingTest {
  private static final DataPlacement PLACEMENT =
      DataPlacement.of(
          Map.of("a", "w1", "local", "w1", "b", "w2", "c", "w1"),
          Map.of("a", Set.of("b"), "local", Set.of("c")));
  private final ManualScheduler scheduler = new ManualScheduler();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  private Worker w1;
  private Worker w2;

  private record Worker(TieredStore store, PeerDataServer server, GrpcPeerTransport transport) {}

  private Worker worker(String id) {
    StoreConfig config = StoreConfig.builder().mode(StoreMode.TIERED).budget(256L << 20).build();
    GrpcPeerTransport transport =
        GrpcPeerTransport.create(
            w -> Optional.ofNullable(addresses.get(w)), GrpcPeerOptions.of(config));
    TieredStore store =
        TieredStore.create(config, id, scheduler, Optional.empty(), transport, PLACEMENT);
    PeerDataServer server = PeerDataServer.onLoopback(store.peerView(), GrpcPeerOptions.of(config));
    addresses.put(id, server.address());
    return new Worker(store, server, transport);
  }

  @BeforeEach
  void start() {
    w1 = worker("w1");
    w2 = worker("w2");
  }

  @AfterEach
  void stop() {
    for (Worker w : new Worker[] {w1, w2}) {
      w.transport().close();
      w.server().close();
      w.store().close();
    }
  }

  @Test
  void remoteConsumersGetValuesPushedOverGrpcAndLocalOnesReadMemory() {
    Blob a = randomBlob(40 << 20, 1);
    Blob local = randomBlob(500, 3);
    join(w1.store().put(new DataKey("i", "a", "out"), a));
    join(w1.store().put(new DataKey("i", "local", "out"), local));

    assertThat(join(w2.store().peerView().get(new DataKey("i", "a", "out")))).contains(a);
    assertThat(join(w2.store().get(new DataKey("i", "a", "out")))).contains(a);
    assertThat(join(w1.store().get(new DataKey("i", "local", "out")))).contains(local);
    assertThat(join(w2.store().peerView().get(new DataKey("i", "local", "out")))).isEmpty();
    assertThat(w1.store().transfers("i")).isEqualTo(new Transfers(500, 40 << 20, 0));
    assertThat(w2.store().transfers("i")).isEqualTo(new Transfers(40 << 20, 0, 0));
  }

  @Test
  void aConsumerWhosePushNeverArrivedFetchesFromTheProducerOverGrpc() {
    Blob a = randomBlob(3 << 20, 1);
    DataKey key = new DataKey("k", "a", "out");
    join(w1.store().put(key, a));
    join(w2.store().peerView().delete(key));
    assertThat(join(w2.store().get(key))).contains(a);
    assertThat(w2.store().transfers("k").peerBytes()).isEqualTo(3 << 20);
  }

  @Test
  void endingTheInstanceOnTheProducerDropsThePushedCopies() {
    join(w1.store().put(new DataKey("e", "a", "out"), randomBlob(2 << 20, 1)));
    join(w1.store().put(new DataKey("kept", "a", "out"), randomBlob(100, 1)));
    assertThat(w2.store().usage().entries()).isEqualTo(2);
    join(w1.store().deleteInstance("e"));
    assertThat(w1.store().usage().entries()).isEqualTo(1);
    assertThat(w2.store().usage().entries()).isEqualTo(1);
    assertThat(w2.store().usage().bytes()).isEqualTo(100);
  }

  @Test
  void aConsumerWorkerThatIsDownDoesNotLoseTheValue() {
    w2.server().close();
    Blob a = randomBlob(5000, 1);
    DataKey key = new DataKey("d", "a", "out");
    join(w1.store().put(key, a)); // the push fails; the local copy stays for a later fetch
    assertThat(join(w1.store().peerView().get(key))).contains(a);
    join(w1.store().deleteInstance("d")); // telling w2 fails too, without failing the end
    assertThat(w1.store().usage().entries()).isZero();
  }
}
