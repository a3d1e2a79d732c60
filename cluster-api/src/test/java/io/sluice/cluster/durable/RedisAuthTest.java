package io.sluice.cluster.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.RedisAccess;
import io.sluice.testing.IntegrationTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal logs in to a Redis of this test's own that requires a password ({@code
 * --requirepass}) and has an ACL user: with the right password (in the URI or a file, as the
 * default user or the ACL user) it works; with a wrong one it fails with one line naming the Redis
 * without the password.
 */
@IntegrationTest // starts redis-server
class RedisAuthTest {
  private static final String PASSWORD = "pw-Default-9431";
  private static final String APP_PASSWORD = "pw-App-5521";
  private static RedisServers.Own redis;
  private static int port;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    port = RedisServers.freePort();
    redis = new RedisServers.Own(port, "--requirepass", PASSWORD);
    redis.start();
    RedisServers.with(
        URI.create("redis://:" + PASSWORD + "@127.0.0.1:" + port),
        c ->
            c.sync()
                .aclSetuser(
                    "app",
                    io.lettuce.core.AclSetuserArgs.Builder.on()
                        .addPassword(APP_PASSWORD)
                        .allKeys()
                        .allCommands()));
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  private static RedisJournal open(URI uri, RedisAccess access) {
    return RedisJournal.open(uri, access, Duration.ofSeconds(5), Duration.ofMinutes(1), "auth");
  }

  private static void roundTrip(RedisJournal j) throws Exception {
    j.workflowRegistered("k", new byte[] {1, 2}).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(j.workflows().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNotEmpty();
  }

  @Test
  void theRightPasswordInTheUriOrAFileLogsIn() throws Exception {
    try (RedisJournal j = open(URI.create("redis://:" + PASSWORD + "@127.0.0.1:" + port), null)) {
      roundTrip(j);
    }
    Path file = dir.resolve("app.pw");
    Files.writeString(file, APP_PASSWORD + "\n");
    try (RedisJournal j =
        open(
            URI.create("redis://127.0.0.1:" + port + "/0"),
            new RedisAccess("app", file, false, null))) {
      roundTrip(j);
    }
    try (RedisJournal j =
        open(URI.create("redis://app:" + APP_PASSWORD + "@127.0.0.1:" + port), null)) {
      roundTrip(j);
    }
  }

  @Test
  void aWrongPasswordFailsInOneLineWithoutThePassword() {
    URI wrong = URI.create("redis://app:not-the-pw-771@127.0.0.1:" + port);
    assertThatThrownBy(() -> open(wrong, null))
        .isInstanceOf(JournalException.class)
        .satisfies(
            e -> {
              String m = e.getMessage();
              assertThat(m)
                  .contains("127.0.0.1:" + port)
                  .containsAnyOf("WRONGPASS", "invalid username-password")
                  .doesNotContain("not-the-pw-771")
                  .doesNotContain("\n");
            });
    assertThatThrownBy(() -> open(URI.create("redis://127.0.0.1:" + port), null))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("NOAUTH");
  }

  @Test
  void theStoreConfigReadsUriOrObjectAndNeverShowsThePassword() {
    ClusterConfig c =
        ClusterConfig.parse(
            "/etc/sluice/c.yaml",
            """
            name: t
            master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
            store:
              redis: {uri: "rediss://10.0.0.5:6380/2", username: app, passwordFile: redis.pw, caFile: /etc/ca.pem}
            workers:
              - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
            """,
            Map.of());
    assertThat(c.store().redisUri()).contains(URI.create("rediss://10.0.0.5:6380/2"));
    assertThat(c.store().redisAccess())
        .isEqualTo(
            new RedisAccess("app", Path.of("/etc/sluice/redis.pw"), false, Path.of("/etc/ca.pem")));
    ClusterConfig inline =
        ClusterConfig.parse(
            "c.yaml",
            """
            name: t
            master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
            store: {redis: "redis://app:s3cret-inline@10.0.0.5:6379/0"}
            workers:
              - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
            """,
            Map.of());
    assertThat(inline.store().toString())
        .contains("redis://app:***@10.0.0.5:6379/0")
        .doesNotContain("s3cret-inline");
    assertThat(RedisAccess.masked("redis://:pw@h:1")).isEqualTo("redis://:***@h:1");
    assertThat(RedisAccess.masked(URI.create("rediss://u:p@h:1/3")))
        .isEqualTo("rediss://u:***@h:1/3");
    assertThat(RedisAccess.masked(URI.create("redis://h:1"))).isEqualTo("redis://h:1");
  }
}
