package io.sluice.bench.store;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.faastore.DataStore;
import io.sluice.faastore.MemoryStore;
import io.sluice.faastore.grpc.GrpcPeerOptions;
import io.sluice.faastore.grpc.GrpcPeerTransport;
import io.sluice.faastore.grpc.PeerAddresses;
import io.sluice.faastore.grpc.PeerDataServer;
import io.sluice.time.Scheduler;
import java.util.Map;
import java.util.Optional;

/**
 * Two workers on loopback, each a memory store behind its own gRPC peer server, and the producer's
 * transport that reaches the consumer: what the benchmark's peer mode pushes through.
 */
final class LoopbackPeers implements AutoCloseable {
  static final String PRODUCER = "bench-producer";
  static final String CONSUMER = "bench-consumer";

  private final MemoryStore producerStore;
  private final MemoryStore consumerStore;
  private final PeerDataServer producerServer;
  private final PeerDataServer consumerServer;
  private final GrpcPeerTransport transport;

  LoopbackPeers(StoreConfig config, Scheduler scheduler) {
    GrpcPeerOptions options = GrpcPeerOptions.of(config);
    producerStore = MemoryStore.create(config, scheduler, Optional.empty());
    consumerStore = MemoryStore.create(config, scheduler, Optional.empty());
    producerServer = PeerDataServer.onLoopback(producerStore, options);
    consumerServer = PeerDataServer.onLoopback(consumerStore, options);
    transport =
        GrpcPeerTransport.create(
            PeerAddresses.of(
                Map.of(PRODUCER, producerServer.address(), CONSUMER, consumerServer.address())),
            options);
  }

  GrpcPeerTransport transport() {
    return transport;
  }

  /** The consumer worker's own memory, where pushes land. */
  DataStore consumer() {
    return consumerStore;
  }

  @Override
  public void close() {
    transport.close();
    producerServer.close();
    consumerServer.close();
    producerStore.close();
    consumerStore.close();
  }
}
