package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.security.TokenHash;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.proto.CancelRequest;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.testing.IntegrationTest;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates as credentials on a master with {@code security.tls} and tokens: over TLS, a
 * call without a token is made by the certificate's CN with its O as role; without either it is
 * UNAUTHENTICATED; a token still works without a certificate.
 */
@IntegrationTest // a master process over Netty with TLS
class MasterClientCertificateTest {
  private static final Duration DAY = Duration.ofDays(1);
  @TempDir Path dir;
  private final List<ManagedChannel> channels = new ArrayList<>();

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub stub(
      String address, ChannelCredentials c, String token) {
    ManagedChannel ch = Grpc.newChannelBuilder(address, c).build();
    channels.add(ch);
    var s = WorkflowServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
    if (token == null) {
      return s;
    }
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
  }

  private static String outcome(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + " " + e.getStatus().getDescription();
    }
  }

  @Test
  void aClientCertificateIsTheCallerWhenNoTokenIsSent() throws Exception {
    SecurityConfig.Tls tls =
        new SecurityConfig.Tls(Files.createDirectories(dir.resolve("tls")).toString());
    CertificateAuthority ca = CertificateAuthority.create("certs", DAY);
    ca.write(tls.caCertificate(), Path.of(tls.dir(), "ca.key"));
    ca.issue("master", Kind.MASTER, Optional.empty(), List.of(), DAY)
        .write(tls.certificate("master"), tls.privateKey("master"));
    ca.issue("ci", Kind.CLIENT, Optional.of("submit"), List.of(), DAY)
        .write(tls.certificate("ci"), tls.privateKey("ci"));
    ca.issue("alice", Kind.CLIENT, Optional.of("operate"), List.of(), DAY)
        .write(tls.certificate("alice"), tls.privateKey("alice"));
    Files.writeString(dir.resolve("tokens"), "bot submit " + TokenHash.of("tok-bot") + "\n");
    Path config = dir.resolve("cluster.yaml");
    Files.writeString(
        config,
        "name: certs\nmaster: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nsecurity: {tokens: tokens, tls: {dir: tls}}\n"
            + "workers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n");
    Function<String, ChannelCredentials> as =
        name ->
            TlsContexts.client(
                    tls.caCertificate(),
                    Optional.of(tls.certificate(name)),
                    Optional.of(tls.privateKey(name)))
                .channel(Kind.MASTER);
    ChannelCredentials none =
        TlsContexts.client(tls.caCertificate(), Optional.empty(), Optional.empty())
            .channel(Kind.MASTER);
    var list = ListWorkflowsRequest.getDefaultInstance();
    var cancel = CancelRequest.newBuilder().setInstanceId("nope-1").build();
    try (MasterProcess master = MasterProcess.start(ClusterConfig.load(config))) {
      String a = master.address();
      assertThat(outcome(() -> stub(a, as.apply("ci"), null).listWorkflows(list))).isEqualTo("OK");
      assertThat(outcome(() -> stub(a, as.apply("ci"), null).cancel(cancel)))
          .isEqualTo("PERMISSION_DENIED Cancel needs role operate; ci has role submit");
      // alice may cancel: the call passes authentication and finds no such instance
      assertThat(outcome(() -> stub(a, as.apply("alice"), null).cancel(cancel)))
          .startsWith("NOT_FOUND");
      assertThat(outcome(() -> stub(a, none, null).listWorkflows(list)))
          .startsWith("UNAUTHENTICATED missing or unknown token");
      assertThat(outcome(() -> stub(a, none, "tok-bot").listWorkflows(list))).isEqualTo("OK");
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
