package io.sluice.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.client.LocalCluster;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.master.partition.Partitioner;
import io.sluice.runtime.Secrets;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library against a cluster with mutual TLS: it trusts the cluster's CA, or gets nowhere. */
@IntegrationTest // a master and a worker in this JVM over gRPC with TLS
class ClientTlsTest {
  @TempDir Path dir;

  @Test
  void aClientTrustingTheClusterCaRunsAWorkflowAndAPlaintextOneCannot() throws Exception {
    SecurityConfig.Tls tls = new SecurityConfig.Tls(dir.toString());
    Duration day = Duration.ofDays(1);
    CertificateAuthority ca = CertificateAuthority.create("sdk", day);
    ca.write(tls.caCertificate(), dir.resolve("ca.key"));
    ca.issue("master", Kind.MASTER, Optional.empty(), List.of(), day)
        .write(tls.certificate("master"), tls.privateKey("master"));
    ca.issue("w1", Kind.WORKER, Optional.empty(), List.of(), day)
        .write(tls.certificate("w1"), tls.privateKey("w1"));
    ca.issue("app", Kind.CLIENT, Optional.of("submit"), List.of(), day)
        .write(tls.certificate("app"), tls.privateKey("app"));
    try (LocalCluster cluster =
            new LocalCluster(
                1,
                null,
                Partitioner.criticalPath(),
                Optional.empty(),
                ProgressConfig.DEFAULT,
                Secrets.ENVIRONMENT,
                Optional.of(tls));
        SluiceClient sluice =
            SluiceClient.builder()
                .target(cluster.address())
                .trustCa(tls.caCertificate())
                .clientCertificate(tls.certificate("app"), tls.privateKey("app"))
                .build();
        SluiceClient plain =
            SluiceClient.builder()
                .target(cluster.address())
                .trustCa(null)
                .clientCertificate(null, null)
                .maxAttempts(1)
                .build()) {
      Registration r = sluice.register(ClientTest.ROOT.resolve("examples/hello.yaml"));
      String id = sluice.start(r.workflow(), Map.of("name", "Ada"));
      assertThat(sluice.await(id).get(60, TimeUnit.SECONDS).state())
          .isEqualTo(InstanceState.SUCCEEDED);
      assertThatThrownBy(plain::listWorkflows).isInstanceOf(UnavailableException.class);
    }
  }
}
