package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.cluster.wire.WireLimits;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.WorkerServiceGrpc;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import io.sluice.testing.Property;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire fuzzer's gRPC half: valid-shaped requests with hostile field values, and truncated,
 * bit-flipped or random encodings sent as raw frames, to every method of the master's
 * WorkflowService and ClusterService and of a worker's WorkerService and PeerService (which also
 * carries FaaStore's peer data calls). Every call must end, within its deadline, with a status a
 * client can act on — never UNKNOWN or INTERNAL — and afterwards the cluster still runs an
 * instance.
 *
 * <p>{@code -Dsluice.fuzz.wire=N} sets the number of calls (default {@value #DEFAULT_CASES}),
 * {@code -Dsluice.fuzz.wire.seed=S} the base seed (printed, with a replay command, on failure).
 */
@IntegrationTest // a master over Netty with an in-JVM worker
class GrpcWireFuzzTest {
  static final int DEFAULT_CASES = 5000;
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  private static final Set<Status.Code> CLEAR =
      Set.of(
          Status.Code.OK,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ALREADY_EXISTS,
          Status.Code.OUT_OF_RANGE, // FetchData from an offset past the value's end
          Status.Code.UNAUTHENTICATED,
          Status.Code.PERMISSION_DENIED);
  static final String TINY =
      """
      sluice: "1.0"
      name: tiny
      version: "1"
      functions:
        a: {runtime: synthetic}
        b: {runtime: synthetic}
      nodes:
        - {id: a, type: task, function: a, next: b, hints: {computeTime: 1ms}}
        - {id: b, type: task, function: b, hints: {computeTime: 1ms}}
      """;

  private MasterProcess master;
  private StandInWorker worker;
  private ManagedChannel masterChannel;
  private ManagedChannel workerChannel;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    String yaml =
        "name: wirefuzz\n"
            + "master: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n"
            + "heartbeat: {interval: 100ms, missedAllowed: 20}\n"
            + "workers:\n"
            + "  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    master = MasterProcess.start(ClusterConfig.parse("wirefuzz.yaml", yaml, Map.of()));
    // with FaaStore (memory and peer pushes, no Redis), so that its peer data calls (PushData,
    // FetchData) are served
    worker =
        new StandInWorker(
            "w1",
            master.address(),
            StandInWorker.fleet(),
            StoreConfig.builder().mode(StoreMode.TIERED).budget(64L << 20).build());
    masterChannel =
        Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
    workerChannel =
        Grpc.newChannelBuilder(worker.address(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() {
    masterChannel.shutdownNow();
    workerChannel.shutdownNow();
    worker.close();
    master.close();
  }

  /** A target of the fuzzer: a method and the channel to the server that serves it. */
  private record Target(MethodDescriptor<?, ?> method, ManagedChannel channel) {}

  private List<Target> targets() {
    List<Target> all = new ArrayList<>();
    for (ServiceDescriptor s :
        List.of(
            WorkflowServiceGrpc.getServiceDescriptor(),
            ClusterServiceGrpc.getServiceDescriptor())) {
      s.getMethods().forEach(m -> all.add(new Target(m, masterChannel)));
    }
    for (ServiceDescriptor s :
        List.of(WorkerServiceGrpc.getServiceDescriptor(), PeerServiceGrpc.getServiceDescriptor())) {
      s.getMethods().forEach(m -> all.add(new Target(m, workerChannel)));
    }
    return all;
  }

  @Test
  void everyCallEndsWithAClearStatusAndTheClusterKeepsServing() throws Exception {
    WorkflowRef tiny = registerTiny();
    String instance = runTiny(tiny).getInstanceId();
    List<String> known = List.of("w1", "tiny", "1", instance, worker.address());
    List<Target> targets = targets();
    Map<Status.Code, Integer> tally = new java.util.TreeMap<>();
    Property.named("wire-fuzz-grpc", DEFAULT_CASES)
        .withKnobs("sluice.fuzz.wire", "sluice.fuzz.wire.seed")
        .check(
            (random, seed, index) -> {
              Target t = targets.get(random.nextInt(targets.size()));
              Status status = call(t, random, known);
              tally.merge(status.getCode(), 1, Integer::sum);
              assertThat(CLEAR)
                  .as(
                      "%s ended with %s: %s",
                      t.method().getFullMethodName(), status.getCode(), status.getDescription())
                  .contains(status.getCode());
            });
    System.out.println("wire-fuzz-grpc outcomes: " + tally);
    assertStillServing(tiny);
  }

  /**
   * A request one byte over the servers' inbound limit, to a unary and a client-streaming method of
   * the master and of the worker (its edge event stream and FaaStore's data push too): each is
   * refused with RESOURCE_EXHAUSTED naming the limit and the size, the servers log it without a
   * stack trace (gRPC logs to java.util.logging), and they go on serving.
   */
  @Test
  void aMessageJustOverTheLimitIsRefusedAndTheServersKeepServing() throws Exception {
    WorkflowRef tiny = registerTiny();
    int size = WireLimits.MAX_MESSAGE_BYTES + 1;
    List<LogRecord> traced = new CopyOnWriteArrayList<>();
    Handler log =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getThrown() != null) {
              traced.add(r);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger.getLogger("").addHandler(log);
    try {
      sendOversized(size);
    } finally {
      Logger.getLogger("").removeHandler(log);
    }
    assertThat(traced)
        .as("log records with a stack trace")
        .extracting(r -> r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown())
        .isEmpty();
    runTiny(tiny);
  }

  private void sendOversized(int size) throws Exception {
    for (Target t :
        List.of(
            new Target(WorkflowServiceGrpc.getRegisterWorkflowMethod(), masterChannel),
            new Target(ClusterServiceGrpc.getHeartbeatMethod(), masterChannel),
            new Target(WorkerServiceGrpc.getDeploySubgraphMethod(), workerChannel),
            new Target(PeerServiceGrpc.getEventStreamMethod(), workerChannel),
            new Target(PeerServiceGrpc.getPushDataMethod(), workerChannel))) {
      Status s = OversizedMessage.send(t.method(), t.channel(), size);
      System.out.println(
          "wire-fuzz oversized "
              + t.method().getFullMethodName()
              + ": "
              + s.getCode()
              + " "
              + s.getDescription());
      assertThat(s.getCode())
          .as("%s with a %d-byte message: %s", t.method().getFullMethodName(), size, s)
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(s.getDescription())
          .as(t.method().getFullMethodName())
          .contains(String.valueOf(WireLimits.MAX_MESSAGE_BYTES))
          .contains(String.valueOf(size));
    }
  }

  private Status call(Target t, SplittableRandom random, List<String> known) throws Exception {
    RandomMessages gen = new RandomMessages(random, known);
    Message prototype =
        (Message)
            ((MethodDescriptor.PrototypeMarshaller<?>) t.method().getRequestMarshaller())
                .getMessagePrototype();
    boolean oneMessage = t.method().getType().clientSendsOneMessage();
    int messages = oneMessage ? 1 : random.nextInt(0, 4);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      frames.add(gen.encode(gen.message(prototype)));
    }
    return send(t, frames);
  }

  /** Sends raw frames on {@code t}'s method, half-closes and waits for the call's status. */
  private static Status send(Target t, List<byte[]> frames) throws Exception {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setFullMethodName(t.method().getFullMethodName())
            .setType(t.method().getType())
            .setRequestMarshaller(RAW)
            .setResponseMarshaller(RAW)
            .build();
    ClientCall<byte[], byte[]> call =
        t.channel()
            .newCall(
                raw,
                CallOptions.DEFAULT.withDeadlineAfter(
                    CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(Integer.MAX_VALUE);
    for (byte[] f : frames) {
      call.sendMessage(f);
    }
    call.halfClose();
    return closed.get(CALL_DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
  }

  static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  private WorkflowRef registerTiny() {
    return WorkflowServiceGrpc.newBlockingStub(masterChannel)
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .registerWorkflow(
            RegisterWorkflowRequest.newBuilder()
                .setSource(
                    WorkflowSource.newBuilder().setFileName("tiny.yaml").setDefinitionText(TINY))
                .build())
        .getWorkflow();
  }

  /** After the batch: workers fuzz-registered under other ids are gone, and an instance runs. */
  private void assertStillServing(WorkflowRef tiny) {
    var client = WorkflowServiceGrpc.newBlockingStub(masterChannel);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> master.master().membership().live().stream().allMatch(w -> w.id().equals("w1")));
    assertThat(
            client
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .listWorkflows(ListWorkflowsRequest.getDefaultInstance())
                .getWorkflowsCount())
        .isPositive();
    // a fuzzed DrainWorker naming w1 drains it, as it should: end that before asking for a run
    client
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .drainWorker(
            io.sluice.proto.DrainWorkerRequest.newBuilder()
                .setWorkerId("w1")
                .setUndo(true)
                .build());
    runTiny(tiny);
  }

  private InstanceStatus runTiny(WorkflowRef tiny) {
    InstanceStatus status =
        WorkflowServiceGrpc.newBlockingStub(masterChannel)
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .invokeAndWait(
                InvokeRequest.newBuilder()
                    .setWorkflow(tiny)
                    .setMode(Mode.MODE_WORKER)
                    .setInputJson("{}")
                    .build());
    assertThat(status.getState())
        .as(status.toString())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    return status;
  }
}
