package io.sluice.faastore.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.MemoryStore;
import io.sluice.faastore.StoreException;
import io.sluice.faastore.StoreUnavailableException;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.ManualScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two workers' memory stores behind real Netty gRPC servers on loopback, port 0. */
@IntegrationTest // two store peers over gRPC on loopback
class GrpcPeerTransportTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<String, PeerDataServer> servers = new ConcurrentHashMap<>();
  private MemoryStore w1;
  private MemoryStore w2;
  private GrpcPeerTransport transport;

  @BeforeEach
  void startTwoWorkers() {
    w1 = worker("w1", GrpcPeerOptions.defaults());
    w2 = worker("w2", GrpcPeerOptions.defaults());
    transport = transport(GrpcPeerOptions.defaults());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private MemoryStore worker(String id, GrpcPeerOptions options) {
    StoreConfig config = StoreConfig.builder().budget(1L << 30).maxValueSize(256L << 20).build();
    MemoryStore store = MemoryStore.create(config, scheduler, Optional.empty());
    PeerDataServer server = PeerDataServer.onLoopback(store, options);
    servers.put(id, server);
    open.add(server);
    open.add(store);
    addresses.put(id, server.address());
    return store;
  }

  private GrpcPeerTransport transport(GrpcPeerOptions options) {
    GrpcPeerTransport t =
        GrpcPeerTransport.create(w -> Optional.ofNullable(addresses.get(w)), options);
    open.add(0, t);
    return t;
  }

  static Blob randomBlob(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Blob.wrap(b);
  }

  /** Waits a bounded time, so a hang fails the test instead of stalling it. */
  static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1024, 5 * 1024 * 1024 + 17, 64 * 1024 * 1024})
  void pushesAndFetchesValuesOfAnySize(int size) throws Exception {
    DataKey key = new DataKey("i", "producer", "out/part-1");
    Blob value = randomBlob(size, size);
    await(transport.push("w2", key, value));
    assertThat(await(w2.get(key))).contains(value);
    assertThat(await(w1.get(key))).isEmpty();

    assertThat(await(transport.fetch("w2", key))).contains(value);
    assertThat(await(transport.fetch("w1", key))).isEmpty();
  }

  @Test
  void manySmallChunksArriveInOrder() throws Exception {
    GrpcPeerTransport small = transport(GrpcPeerOptions.defaults().withChunkSize(1000));
    DataKey key = new DataKey("i", "n", "k");
    Blob value = randomBlob(100_007, 3);
    await(small.push("w1", key, value));
    assertThat(await(w1.get(key))).contains(value);
    assertThat(await(small.fetch("w1", key))).contains(value);
  }

  @Test
  void concurrentPushesToOnePeerAllLand() throws Exception {
    List<CompletableFuture<Void>> pushes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Blob value = randomBlob(300_000 + i, i);
      pushes.add(
          transport.push("w2", new DataKey("c", "n" + i, "out"), value).toCompletableFuture());
    }
    await(CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)));
    for (int i = 0; i < 40; i++) {
      assertThat(await(w2.get(new DataKey("c", "n" + i, "out"))))
          .contains(randomBlob(300_000 + i, i));
    }
  }

  @Test
  void deleteInstanceDropsWhatWasPushedToThatPeer() throws Exception {
    await(transport.push("w2", new DataKey("gone", "a", "out"), randomBlob(5000, 1)));
    await(transport.push("w2", new DataKey("gone", "b", "out"), randomBlob(2 << 20, 2)));
    await(transport.push("w2", new DataKey("kept", "a", "out"), randomBlob(10, 3)));
    await(transport.deleteInstance("w2", "gone"));
    assertThat(w2.usage().entries()).isEqualTo(1);
    assertThat(w2.usage().bytes()).isEqualTo(10);
  }

  @Test
  void aPeerThatIsDownGivesARetryableErrorNamingIt() throws Exception {
    int freePort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    addresses.put("down", "127.0.0.1:" + freePort);
    DataKey key = new DataKey("i", "n", "k");
    assertThatThrownBy(() -> await(transport.push("down", key, randomBlob(3 << 20, 1))))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("push of i/n/k")
        .hasMessageContaining("down (127.0.0.1:" + freePort + ")")
        .hasMessageContaining("UNAVAILABLE");
    assertThatThrownBy(() -> await(transport.fetch("down", key)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> await(transport.deleteInstance("down", "i")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> await(transport.push("nobody", key, Blob.EMPTY)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("no address known for peer worker nobody");
  }

  @Test
  void aPeerThatStopsGivesRetryableErrorsAndIsReachedAgainWhenBack() throws Exception {
    DataKey key = new DataKey("i", "n", "k");
    await(transport.push("w2", key, randomBlob(100, 1)));
    int port = servers.get("w2").port();
    servers.get("w2").close();
    assertThatThrownBy(() -> await(transport.push("w2", key, randomBlob(100, 2))))
        .isInstanceOf(StoreUnavailableException.class);

    PeerDataServer back =
        PeerDataServer.start(
            new InetSocketAddress("127.0.0.1", port), w2, GrpcPeerOptions.defaults());
    open.add(0, back);
    Blob later = randomBlob(100, 3);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> await(transport.push("w2", key, later)) == null);
    assertThat(await(w2.get(key))).contains(later);
  }

  @Test
  void aPeerThatNeverAnswersTimesOutRetryably() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      addresses.put("silent", "127.0.0.1:" + silent.getLocalPort());
      GrpcPeerTransport impatient =
          transport(GrpcPeerOptions.defaults().withCallTimeout(Duration.ofMillis(500)));
      assertThatThrownBy(
              () -> await(impatient.push("silent", new DataKey("i", "n", "k"), randomBlob(10, 1))))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("DEADLINE_EXCEEDED");
    }
  }

  @Test
  void aValueOverThePeersMaximumIsRefusedNotRetried() throws Exception {
    worker("tiny", GrpcPeerOptions.defaults().withMaxValueSize(1 << 20));
    assertThatThrownBy(
            () -> await(transport.push("tiny", new DataKey("i", "n", "k"), randomBlob(2 << 20, 1))))
        .isInstanceOf(StoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("2097152 bytes")
        .hasMessageContaining("0..1048576 bytes");
  }

  @Test
  void theStandaloneServiceAnswersTheEventStreamWithUnimplemented() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(addresses.get("w1")).usePlaintext().build();
    try {
      CompletableFuture<Status> status = new CompletableFuture<>();
      PeerServiceGrpc.newStub(channel)
          .eventStream(
              new StreamObserver<EventAck>() {
                @Override
                public void onNext(EventAck value) {}

                @Override
                public void onError(Throwable t) {
                  status.complete(((StatusRuntimeException) t).getStatus());
                }

                @Override
                public void onCompleted() {
                  status.complete(Status.OK);
                }
              })
          .onNext(EventBatch.newBuilder().setSenderWorkerId("w2").build());
      assertThat(await(status).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
