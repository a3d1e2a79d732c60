package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.master.MasterProcess;
import io.sluice.testing.IntegrationTest;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client commands against a master with {@code security.tls}: they trust the cluster's CA from
 * {@code --ca-file} or {@code SLUICE_CA_FILE} (a client certificate from {@code SLUICE_CERT_FILE}
 * and {@code SLUICE_KEY_FILE}); without it, exit 2 and one line that says what to give.
 */
@IntegrationTest // starts a master
class TlsCliTest {
  @TempDir Path dir;

  @AfterEach
  void restore() {
    MasterAddress.environment = System::getenv;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void commandsTrustTheClusterCaFromTheFlagOrTheEnvironment() throws Exception {
    SecurityConfig.Tls tls = new SecurityConfig.Tls(dir.toString());
    CertificateAuthority ca = CertificateAuthority.create("cli", Duration.ofDays(1));
    ca.write(tls.caCertificate(), dir.resolve("ca.key"));
    ca.issue("master", Kind.MASTER, Optional.empty(), List.of(), Duration.ofDays(1))
        .write(tls.certificate("master"), tls.privateKey("master"));
    ca.issue("ops", Kind.CLIENT, Optional.of("admin"), List.of(), Duration.ofDays(1))
        .write(tls.certificate("ops"), tls.privateKey("ops"));
    String yaml =
        "name: tls\nmaster: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nsecurity: {tls: {dir: "
            + dir
            + "}}\nworkers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    try (MasterProcess master =
        MasterProcess.start(ClusterConfig.parse("tls.yaml", yaml, Map.of()))) {
      String at = master.address();
      MasterAddress.environment = name -> null;
      CliTest.Result plain = sluice("list", "workflows", "--master", at, "--connect-timeout", "3s");
      assertThat(plain.exit()).isEqualTo(2);
      assertThat(plain.err().strip())
          .startsWith("sluice: cannot reach the master at " + at)
          .contains("give the cluster's CA: --ca-file or SLUICE_CA_FILE")
          .doesNotContain("\n");

      CliTest.Result flag =
          sluice("list", "workflows", "--master", at, "--ca-file", tls.caCertificate().toString());
      assertThat(flag.exit()).as(flag.err()).isZero();

      MasterAddress.environment =
          name ->
              switch (name) {
                case MasterAddress.ENV_CA_FILE -> tls.caCertificate().toString();
                case MasterAddress.ENV_CERT_FILE -> tls.certificate("ops").toString();
                case MasterAddress.ENV_KEY_FILE -> tls.privateKey("ops").toString();
                default -> null;
              };
      CliTest.Result env = sluice("list", "workflows", "--master", at);
      assertThat(env.exit()).as(env.err()).isZero();

      MasterAddress.environment =
          name ->
              switch (name) {
                case MasterAddress.ENV_CA_FILE -> tls.caCertificate().toString();
                case MasterAddress.ENV_CERT_FILE -> tls.certificate("ops").toString();
                default -> null;
              };
      CliTest.Result half = sluice("list", "workflows", "--master", at);
      assertThat(half.exit()).isEqualTo(2);
      assertThat(half.err()).contains("needs both its certificate and its key file");
    }
  }
}
