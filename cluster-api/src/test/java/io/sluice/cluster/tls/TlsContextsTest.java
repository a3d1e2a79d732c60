package io.sluice.cluster.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.grpc.GrpcServer;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.HeartbeatResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS over Netty on loopback: who gets through a TLS server, who does not, and rotation
 * without restart.
 */
class TlsContextsTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;
  private SecurityConfig.Tls tls;
  private CertificateAuthority ca;
  private final List<GrpcServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<String> callers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void certificates() {
    tls = new SecurityConfig.Tls(dir.toString());
    ca = CertificateAuthority.create("test", DAY);
    ca.write(tls.caCertificate(), dir.resolve("ca.key"));
    issue(ca, "master", Kind.MASTER, Optional.empty());
    issue(ca, "w1", Kind.WORKER, Optional.empty());
    issue(ca, "alice", Kind.CLIENT, Optional.of("admin"));
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(GrpcServer::close);
  }

  private void issue(CertificateAuthority by, String name, Kind kind, Optional<String> role) {
    by.issue(name, kind, role, List.of(), DAY).write(tls.certificate(name), tls.privateKey(name));
  }

  /** A master-like server: ClusterService only for workers as themselves. */
  private GrpcServer master(boolean requireClientCertificate) {
    TlsContexts me = TlsContexts.component(tls, "master");
    ClusterServiceGrpc.ClusterServiceImplBase cluster =
        new ClusterServiceGrpc.ClusterServiceImplBase() {
          @Override
          public void heartbeat(HeartbeatRequest r, StreamObserver<HeartbeatResponse> out) {
            callers.add(PeerGuard.PEER.get().toString());
            out.onNext(HeartbeatResponse.getDefaultInstance());
            out.onCompleted();
          }
        };
    GrpcServer s =
        GrpcServer.forAddress("master", "127.0.0.1", 0)
            .credentials(me.server(requireClientCertificate))
            .service(
                () -> ServerInterceptors.intercept(cluster, PeerGuard.workerAsItself("master")))
            .start();
    servers.add(s);
    return s;
  }

  private ManagedChannel dial(GrpcServer s, ChannelCredentials c) {
    ManagedChannel ch = Grpc.newChannelBuilder(s.address(), c).build();
    channels.add(ch);
    return ch;
  }

  private static void health(ManagedChannel ch) {
    HealthGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
  }

  private static HeartbeatResponse beat(ManagedChannel ch, String workerId) {
    return ClusterServiceGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .heartbeat(HeartbeatRequest.newBuilder().setWorkerId(workerId).build());
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void aWorkerSpeaksForItselfOnlyAndNoHostNameIsChecked() {
    GrpcServer s = master(false);
    ManagedChannel w1 = dial(s, TlsContexts.component(tls, "w1").channel(Kind.MASTER));
    beat(w1, "w1");
    assertThat(callers).containsExactly("worker w1");
    assertThatThrownBy(() -> beat(w1, "w2"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining("the certificate of worker w1 cannot speak for worker 'w2'");

    // the address a component is reached at is not what its certificate names: no host check
    ManagedChannel elsewhere =
        Grpc.newChannelBuilder(s.address(), TlsContexts.component(tls, "w1").channel(Kind.MASTER))
            .overrideAuthority("master.elsewhere.example:443")
            .build();
    channels.add(elsewhere);
    beat(elsewhere, "w1");
  }

  @Test
  void clientsWithoutCertificatesReachTheOptionalPortButNotClusterService() {
    GrpcServer s = master(false);
    ManagedChannel anonymous =
        dial(
            s,
            TlsContexts.client(tls.caCertificate(), Optional.empty(), Optional.empty())
                .channel(Kind.MASTER));
    health(anonymous); // WorkflowService-like calls: the token decides
    assertThatThrownBy(() -> beat(anonymous, "w1"))
        .hasMessageContaining("UNAUTHENTICATED: ClusterService needs a worker certificate");
    ManagedChannel alice =
        dial(
            s,
            TlsContexts.client(
                    tls.caCertificate(),
                    Optional.of(tls.certificate("alice")),
                    Optional.of(tls.privateKey("alice")))
                .channel(Kind.MASTER));
    assertThatThrownBy(() -> beat(alice, "w1"))
        .hasMessageContaining("PERMISSION_DENIED")
        .hasMessageContaining("the caller's is a client's (alice)");
  }

  @Test
  void plaintextForeignCaAndMissingCertificatesDoNotGetIn() throws Exception {
    GrpcServer s = master(true);
    assertThat(code(() -> health(dial(s, InsecureChannelCredentials.create()))))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(
            code(
                () ->
                    health(
                        dial(
                            s,
                            TlsContexts.client(
                                    tls.caCertificate(), Optional.empty(), Optional.empty())
                                .channel(Kind.MASTER)))))
        .isEqualTo(Status.Code.UNAVAILABLE);

    Path other = Files.createDirectory(dir.resolve("other"));
    SecurityConfig.Tls otherTls = new SecurityConfig.Tls(other.toString());
    CertificateAuthority foreign = CertificateAuthority.create("other", DAY);
    foreign.write(otherTls.caCertificate(), other.resolve("ca.key"));
    foreign
        .issue("w1", Kind.WORKER, Optional.empty(), List.of(), DAY)
        .write(otherTls.certificate("w1"), otherTls.privateKey("w1"));
    // w1 from another CA, trusting ours: the master refuses its certificate
    Files.copy(tls.caCertificate(), other.resolve("ours.crt"));
    TlsContexts impostor =
        TlsContexts.client(
            other.resolve("ours.crt"),
            Optional.of(otherTls.certificate("w1")),
            Optional.of(otherTls.privateKey("w1")));
    assertThat(code(() -> health(dial(s, impostor.channel(Kind.MASTER)))))
        .isEqualTo(Status.Code.UNAVAILABLE);
    // and our w1, trusting only the other CA, does not trust the master
    assertThat(
            code(() -> health(dial(s, TlsContexts.component(otherTls, "w1").channel(Kind.MASTER)))))
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aChannelMeantForAWorkerDoesNotTakeTheMaster() {
    GrpcServer s = master(true);
    TlsContexts w1 = TlsContexts.component(tls, "w1");
    assertThat(code(() -> health(dial(s, w1.channel(Kind.WORKER)))))
        .isEqualTo(Status.Code.UNAVAILABLE);
    health(dial(s, w1.channel(Kind.MASTER)));
  }

  @Test
  void aRotatedCaAndCertificatesArePickedUpWithoutRestart() throws Exception {
    GrpcServer s = master(true);
    TlsContexts w1 = TlsContexts.component(tls, "w1");
    beat(dial(s, w1.channel(Kind.MASTER)), "w1");

    // 1. the bundle holds the old and the new CA, everywhere
    CertificateAuthority next = CertificateAuthority.create("test-2", DAY);
    Files.writeString(tls.caCertificate(), ca.certificatePem() + next.certificatePem());
    // 2. certificates are reissued by the new CA (the master's first: w1 still has the old one)
    issue(next, "master", Kind.MASTER, Optional.empty());
    beat(dial(s, w1.channel(Kind.MASTER)), "w1");
    issue(next, "w1", Kind.WORKER, Optional.empty());
    beat(dial(s, w1.channel(Kind.MASTER)), "w1");
    // 3. the old CA is dropped: only certificates of the new one are accepted
    Files.writeString(tls.caCertificate(), next.certificatePem());
    beat(dial(s, w1.channel(Kind.MASTER)), "w1");
    issue(ca, "w1", Kind.WORKER, Optional.empty()); // a stale certificate of the old CA
    assertThat(code(() -> beat(dial(s, w1.channel(Kind.MASTER)), "w1")))
        .isEqualTo(Status.Code.UNAVAILABLE);
  }
}
