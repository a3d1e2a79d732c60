package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.RedisAccess;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.cluster.durable.RedisServers;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.ManualScheduler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store logs in to a redis-server of this test's own that requires a password: the right one (a
 * file, or the URI) stores and reads a value; a wrong one fails at connect with one line that names
 * the Redis and the server's refusal, never the password.
 */
@IntegrationTest // starts redis-server
class RedisStoreAuthTest {
  private static final String PASSWORD = "pw-Store-6610";
  private static RedisServers.Own redis;
  private static int port;
  private final ManualScheduler scheduler = new ManualScheduler();
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    port = RedisServers.freePort();
    redis = new RedisServers.Own(port, "--requirepass", PASSWORD);
    redis.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  private StoreConfig config(String uri, RedisAccess access) {
    return StoreConfig.builder()
        .mode(StoreMode.REDIS)
        .redisUri(URI.create(uri))
        .redisAccess(access)
        .keyPrefix("auth-test")
        .build();
  }

  @Test
  void theRightPasswordFromAFileStoresAndReads() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, PASSWORD + "\n");
    try (RedisStore store =
        RedisStore.connect(
            config("redis://127.0.0.1:" + port, new RedisAccess(null, file, false, null)),
            scheduler)) {
      DataKey key = new DataKey("i", "n", "k");
      store
          .put(key, Blob.wrap(new byte[] {1, 2, 3}))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(store.get(key).toCompletableFuture().get(10, TimeUnit.SECONDS)).isPresent();
      store.delete(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWrongPasswordFailsInOneLineNamingTheRedisButNotThePassword() {
    assertThatThrownBy(
            () ->
                RedisStore.connect(
                    config("redis://default:wrong-pw-4417@127.0.0.1:" + port, null), scheduler))
        .isInstanceOf(StoreException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("redis://default:***@127.0.0.1:" + port)
                    .contains("WRONGPASS")
                    .doesNotContain("wrong-pw-4417")
                    .doesNotContain("\n"));
  }
}
