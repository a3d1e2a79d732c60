package io.sluice.cluster.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.RedisAccess;
import io.sluice.testing.IntegrationTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal over TLS to a redis-server of this test's own that listens only on a TLS port, with a
 * self-signed certificate made here by the {@code openssl} command: trusted through {@code caFile}
 * it works ({@code rediss://} or {@code tls: true}); without it the server is not trusted.
 */
@IntegrationTest // starts redis-server with --tls-port; runs openssl
class RedisTlsTest {
  private static final String PASSWORD = "pw-Tls-2210";
  private static RedisServers.Own redis;
  private static int port;
  private static Path cert;
  private static Path passwordFile;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("redis-tls");
    cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl;
    try {
      openssl =
          new ProcessBuilder(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "rsa:2048",
                  "-nodes",
                  "-keyout",
                  key.toString(),
                  "-out",
                  cert.toString(),
                  "-days",
                  "1",
                  "-subj",
                  "/CN=127.0.0.1",
                  "-addext",
                  "subjectAltName=IP:127.0.0.1")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("openssl.log").toFile())
              .start();
    } catch (java.io.IOException e) {
      Assumptions.abort("openssl is not on PATH: " + e.getMessage());
      return;
    }
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
    passwordFile = dir.resolve("redis.pw");
    Files.writeString(passwordFile, PASSWORD);
    port = RedisServers.freePort();
    redis =
        new RedisServers.Own(
            port,
            "--port",
            "0",
            "--tls-port",
            Integer.toString(port),
            "--tls-cert-file",
            cert.toString(),
            "--tls-key-file",
            key.toString(),
            "--tls-ca-cert-file",
            cert.toString(),
            "--tls-auth-clients",
            "no",
            "--requirepass",
            PASSWORD);
    redis.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  private static RedisJournal open(URI uri, RedisAccess access) {
    return RedisJournal.open(uri, access, Duration.ofSeconds(5), Duration.ofMinutes(1), "tls");
  }

  @Test
  void aTrustedServerIsReachedOverTls() throws Exception {
    for (RedisJournal j :
        new RedisJournal[] {
          open(
              URI.create("rediss://127.0.0.1:" + port),
              new RedisAccess(null, passwordFile, false, cert)),
          open(
              URI.create("redis://127.0.0.1:" + port),
              new RedisAccess(null, passwordFile, true, cert))
        }) {
      try (j) {
        j.workflowRegistered("k", new byte[] {7}).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(j.workflows().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNotEmpty();
      }
    }
  }

  @Test
  void anUntrustedCertificateOrPlainTextIsRefused() {
    URI uri = URI.create("rediss://:" + PASSWORD + "@127.0.0.1:" + port);
    assertThatThrownBy(() -> open(uri, null))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("rediss://127.0.0.1:" + port)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    assertThatThrownBy(
            () ->
                open(
                    URI.create("redis://127.0.0.1:" + port),
                    new RedisAccess(null, passwordFile, false, null)))
        .isInstanceOf(JournalException.class);
  }
}
