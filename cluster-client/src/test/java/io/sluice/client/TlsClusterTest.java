package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.faastore.DataStore;
import io.sluice.master.ExecutionMode;
import io.sluice.master.partition.Partitioner;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.FetchDataRequest;
import io.sluice.proto.GetLogsRequest;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.WorkerServiceGrpc;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.runtime.Secrets;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A cluster in this JVM with mutual TLS on every hop (real TLS over Netty on loopback, certificates
 * made by {@link CertificateAuthority}): workflows run in worker and master mode with values moved
 * between workers by FaaStore; and who is refused, with what, and what the master logs.
 */
@IntegrationTest // a master and two workers over gRPC with TLS on loopback
class TlsClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DAY = Duration.ofDays(1);

  /** Fan out to eight 200 KB producers on both workers, joined on one: values cross workers. */
  private static final String FLOW =
      """
      sluice: "1.0"
      name: tls-fanout
      version: "1"
      functions:
        make: {runtime: synthetic, computeMs: 1, outputBytes: 200000}
        join: {runtime: synthetic, computeMs: 1, outputBytes: 16}
      start: split
      nodes:
        - {id: split, type: pass, next: [p1, p2, p3, p4, p5, p6, p7, p8]}
        - {id: p1, type: task, function: make, next: all}
        - {id: p2, type: task, function: make, next: all}
        - {id: p3, type: task, function: make, next: all}
        - {id: p4, type: task, function: make, next: all}
        - {id: p5, type: task, function: make, next: all}
        - {id: p6, type: task, function: make, next: all}
        - {id: p7, type: task, function: make, next: all}
        - {id: p8, type: task, function: make, next: all}
        - {id: all, type: task, function: join}
      """;

  @TempDir static Path dir;
  static SecurityConfig.Tls tls;
  static LocalCluster cluster;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void start() {
    tls = new SecurityConfig.Tls(dir.toString());
    CertificateAuthority ca = CertificateAuthority.create("tls-test", DAY);
    ca.write(tls.caCertificate(), dir.resolve("ca.key"));
    for (String w : List.of("w1", "w2", "w9")) {
      ca.issue(w, Kind.WORKER, Optional.empty(), List.of(), DAY)
          .write(tls.certificate(w), tls.privateKey(w));
    }
    ca.issue("master", Kind.MASTER, Optional.empty(), List.of(), DAY)
        .write(tls.certificate("master"), tls.privateKey("master"));
    ca.issue("alice", Kind.CLIENT, Optional.of("admin"), List.of(), DAY)
        .write(tls.certificate("alice"), tls.privateKey("alice"));
    StoreConfig store =
        StoreConfig.builder()
            .mode(StoreMode.TIERED)
            .budget(64L << 20)
            .inlineThreshold(1024)
            .build();
    cluster =
        new LocalCluster(
            2,
            store,
            Partitioner.hash(),
            Optional.empty(),
            ProgressConfig.DEFAULT,
            Secrets.ENVIRONMENT,
            Optional.of(tls));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @org.junit.jupiter.api.AfterEach
  void closeChannels() {
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private ManagedChannel dial(String address, ChannelCredentials c) {
    ManagedChannel ch = Grpc.newChannelBuilder(address, c).build();
    channels.add(ch);
    return ch;
  }

  private static long peerBytes() {
    return cluster.workers().stream()
        .map(w -> w.store().map(DataStore::transferTotals).orElse(Transfers.NONE))
        .mapToLong(Transfers::peerBytes)
        .sum();
  }

  @Test
  void workflowsRunInWorkerAndMasterModeWithDataBetweenWorkers() throws Exception {
    WorkflowKey key =
        cluster.master().registerWorkflow("tls.yaml", FLOW, "", "", "").workflow().key();
    for (ExecutionMode mode : List.of(ExecutionMode.WORKER, ExecutionMode.MASTER)) {
      long before = peerBytes();
      var end =
          cluster
              .master()
              .invoke(
                  key,
                  JSON.createObjectNode(),
                  mode,
                  new Binding(java.util.Map.of(), false, 1, 1),
                  "tls-" + mode)
              .done()
              .get(60, TimeUnit.SECONDS);
      assertThat(end.state()).as("%s: %s", mode, end).isEqualTo(InstanceState.COMPLETED);
      System.out.printf("%s mode over TLS: %d peer bytes%n", mode, peerBytes() - before);
      if (mode == ExecutionMode.WORKER) {
        // worker mode: FaaStore pushes the producers' values to the joining worker (PeerService);
        // master mode: the master dispatches every call, values travel master <-> workers
        assertThat(peerBytes()).as("values moved between workers").isGreaterThan(before);
      }
    }
    // a client trusting the cluster's CA reaches the master without a certificate of its own
    var client =
        WorkflowServiceGrpc.newBlockingStub(dial(cluster.address(), cluster.clientCredentials()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    assertThat(client.listWorkflows(ListWorkflowsRequest.getDefaultInstance()).getWorkflowsCount())
        .isPositive();
  }

  private ChannelCredentials as(String component, Kind server) {
    return TlsContexts.component(tls, component).channel(server);
  }

  private ChannelCredentials anonymous() {
    return TlsContexts.client(tls.caCertificate(), Optional.empty(), Optional.empty())
        .channel(Kind.MASTER);
  }

  private ChannelCredentials foreignWorker() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    SecurityConfig.Tls o = new SecurityConfig.Tls(other.toString());
    CertificateAuthority foreign = CertificateAuthority.create("other", DAY);
    foreign
        .issue("w1", Kind.WORKER, Optional.empty(), List.of(), DAY)
        .write(o.certificate("w1"), o.privateKey("w1"));
    return TlsContexts.client(
            tls.caCertificate(), Optional.of(o.certificate("w1")), Optional.of(o.privateKey("w1")))
        .channel(Kind.MASTER);
  }

  private static String code(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  private record Row(String caller, String credential, String expected, Runnable call) {}

  @Test
  void refusalMatrix() throws Exception {
    Logger guard = (Logger) LoggerFactory.getLogger("io.sluice.cluster.tls");
    Logger membership = (Logger) LoggerFactory.getLogger("io.sluice.master.membership");
    guard.setLevel(Level.INFO);
    membership.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    guard.addAppender(lines);
    membership.addAppender(lines);
    String master = cluster.address();
    String w1 = cluster.workerAddresses().get(0);
    Function<ChannelCredentials, ClusterServiceGrpc.ClusterServiceBlockingStub> cs =
        c ->
            ClusterServiceGrpc.newBlockingStub(dial(master, c))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    Function<String, RegisterWorkerRequest> register =
        id ->
            RegisterWorkerRequest.newBuilder()
                .setWorkerId(id)
                .setAddress("127.0.0.1:17401")
                .setSlots(64)
                .setIncarnation(System.currentTimeMillis() * 1000)
                .build();
    ChannelCredentials foreign = foreignWorker();
    List<Row> rows =
        List.of(
            new Row(
                "worker w3 → master Register",
                "plaintext",
                "UNAVAILABLE",
                () -> cs.apply(InsecureChannelCredentials.create()).register(register.apply("w3"))),
            new Row(
                "worker w3 → master Register",
                "TLS, no certificate",
                "UNAUTHENTICATED",
                () -> cs.apply(anonymous()).register(register.apply("w3"))),
            new Row(
                "worker w1 → master Register",
                "w1 cert of another CA",
                "UNAVAILABLE",
                () -> cs.apply(foreign).register(register.apply("w1"))),
            new Row(
                "worker w9 → master Register as w3",
                "w9 cert",
                "PERMISSION_DENIED",
                () -> cs.apply(as("w9", Kind.MASTER)).register(register.apply("w3"))),
            new Row(
                "client alice → master Register",
                "client cert (admin)",
                "PERMISSION_DENIED",
                () -> cs.apply(as("alice", Kind.MASTER)).register(register.apply("alice"))),
            new Row(
                "second w1 → master Register (live w1)",
                "w1 cert",
                "FAILED_PRECONDITION",
                () -> cs.apply(as("w1", Kind.MASTER)).register(register.apply("w1"))),
            new Row(
                "plaintext client → master ListWorkflows",
                "plaintext",
                "UNAVAILABLE",
                () ->
                    WorkflowServiceGrpc.newBlockingStub(
                            dial(master, InsecureChannelCredentials.create()))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .listWorkflows(ListWorkflowsRequest.getDefaultInstance())),
            new Row(
                "TLS client → master ListWorkflows",
                "TLS, no certificate",
                "OK",
                () ->
                    WorkflowServiceGrpc.newBlockingStub(dial(master, anonymous()))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .listWorkflows(ListWorkflowsRequest.getDefaultInstance())),
            new Row(
                "peer → w1 FetchData",
                "TLS, no certificate",
                "UNAVAILABLE",
                () ->
                    PeerServiceGrpc.newBlockingStub(
                            dial(
                                w1,
                                TlsContexts.client(
                                        tls.caCertificate(), Optional.empty(), Optional.empty())
                                    .channel(Kind.WORKER)))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .fetchData(FetchDataRequest.newBuilder().setKey("i/n/k").build())
                        .hasNext()),
            new Row(
                "peer → w1 FetchData",
                "plaintext",
                "UNAVAILABLE",
                () ->
                    PeerServiceGrpc.newBlockingStub(dial(w1, InsecureChannelCredentials.create()))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .fetchData(FetchDataRequest.newBuilder().setKey("i/n/k").build())
                        .hasNext()),
            new Row(
                "client alice → w1 FetchData",
                "client cert (admin)",
                "PERMISSION_DENIED",
                () ->
                    PeerServiceGrpc.newBlockingStub(dial(w1, as("alice", Kind.WORKER)))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .fetchData(FetchDataRequest.newBuilder().setKey("i/n/k").build())
                        .hasNext()),
            new Row(
                "worker w9 → w1 GetLogs (WorkerService)",
                "w9 cert",
                "PERMISSION_DENIED",
                () ->
                    WorkerServiceGrpc.newBlockingStub(dial(w1, as("w9", Kind.WORKER)))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getLogs(GetLogsRequest.newBuilder().setInstanceId("x").build())),
            new Row(
                "master → w1 GetLogs (WorkerService)",
                "master cert",
                "OK",
                () ->
                    WorkerServiceGrpc.newBlockingStub(dial(w1, as("master", Kind.WORKER)))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getLogs(GetLogsRequest.newBuilder().setInstanceId("x").build())),
            new Row(
                "worker w1 → master as itself, dialling a worker",
                "w1 cert",
                "UNAVAILABLE",
                () -> cs.apply(as("w1", Kind.WORKER)).register(register.apply("w1"))));
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "%-48s | %-22s | %-19s | %s%n", "caller", "credential", "expected", "observed"));
    List<String> mismatches = new ArrayList<>();
    for (Row r : rows) {
      String observed = code(r.call());
      table.append(
          String.format(
              "%-48s | %-22s | %-19s | %s%n", r.caller(), r.credential(), r.expected(), observed));
      if (!observed.equals(r.expected())) {
        mismatches.add(r.caller() + " with " + r.credential() + ": " + observed);
      }
    }
    System.out.print("Refusal matrix (TLS cluster)\n" + table);
    guard.detachAppender(lines);
    membership.detachAppender(lines);
    assertThat(mismatches).isEmpty();
    List<String> warnings =
        lines.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("master refused sluice.v1.ClusterService/Register from /127.0.0.1:")
                    .contains(
                        "needs a worker certificate of the cluster's CA; the caller gave none"))
        .anySatisfy(
            l ->
                assertThat(l).contains("the certificate of worker w9 cannot speak for worker 'w3'"))
        .anySatisfy(l -> assertThat(l).contains("is not signed by the cluster's CA"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("worker w1 is alive at " + w1)
                    .contains("stop it first or wait until it is declared dead"));
    // the refused did not join
    assertThat(cluster.master().membership().live())
        .extracting(w -> w.id())
        .containsOnly("w1", "w2");
  }
}
