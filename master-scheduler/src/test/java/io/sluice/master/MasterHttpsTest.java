package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.security.TokenHash;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.testing.IntegrationTest;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code security.tls} the master's HTTP endpoint serves HTTPS with {@code master.crt} and
 * {@code master.key} from the tls folder: a client trusting {@code ca.crt} is served, a plain HTTP
 * client is not, and the session cookie is {@code Secure}.
 */
@IntegrationTest // a master process over Netty
class MasterHttpsTest {
  private static final Duration DAY = Duration.ofDays(1);
  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A client that trusts only {@code ca}. */
  private static HttpClient trusting(Path ca) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void theEndpointServesHttpsWithTheMastersCertificateAndSecureCookies() throws Exception {
    Path tls = Files.createDirectories(dir.resolve("tls"));
    CertificateAuthority ca = CertificateAuthority.create("https", DAY);
    ca.write(tls.resolve("ca.crt"), tls.resolve("ca.key"));
    ca.issue("master", Kind.MASTER, Optional.empty(), List.of(), DAY)
        .write(tls.resolve("master.crt"), tls.resolve("master.key"));
    Files.writeString(dir.resolve("tokens"), "ops operate " + TokenHash.of("tok-ops") + "\n");
    Path config = dir.resolve("cluster.yaml");
    Files.writeString(
        config,
        "name: https\nmaster: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nsecurity: {tokens: tokens, tls: {dir: tls}}\n"
            + "workers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n");
    try (MasterProcess master = MasterProcess.start(ClusterConfig.load(config))) {
      HttpClient client = trusting(tls.resolve("ca.crt"));
      String base = "https://127.0.0.1:" + master.httpPort();
      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      HttpResponse<String> signIn =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/signin"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"tok-ops\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(signIn.statusCode()).isEqualTo(200);
      assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow())
          .startsWith("sluice_session=ops.operate.")
          .endsWith("; Secure");

      // plain HTTP to the same port gets no answer it can read
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + master.httpPort() + "/health"))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    }
  }
}
