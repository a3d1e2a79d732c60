package io.sluice.cluster.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.cluster.api.ClusterException;
import io.sluice.testing.IntegrationTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal contract on a real Redis ({@code SLUICE_REDIS_URI}), plus what only Redis has: the
 * key layout, the retention of ended instances, the script cache lost, and Redis going away and
 * coming back (on a redis-server of the test's own).
 */
@IntegrationTest // needs Redis (scripts/services.sh) and redis-server on PATH
class RedisJournalTest extends JournalContract {
  private static final Duration RETENTION = Duration.ofHours(1);

  private URI uri;
  private String prefix;
  private RedisJournal journal;
  private RedisJournal peer;

  @BeforeEach
  void open() {
    uri = RedisServers.sharedUri();
    prefix = "sluice-test-" + UUID.randomUUID().toString().substring(0, 8) + ":j:";
    journal = RedisJournal.open(uri, Duration.ofSeconds(10), RETENTION, prefix);
    peer = RedisJournal.open(uri, Duration.ofSeconds(10), RETENTION, prefix);
  }

  @AfterEach
  void close() {
    if (journal != null) {
      journal.close();
      peer.close();
      RedisServers.deleteUnder(uri, prefix);
    }
  }

  @Override
  Journal journal() {
    return journal;
  }

  @Override
  Journal peer() {
    return peer;
  }

  @Test
  void layoutIsOneHashPerInstanceAndARunningSet() throws Exception {
    String id = newId();
    join(journal.started(record(id, 1234)));
    join(journal.called(id, "n#0", CallOutcome.completed(json("1"))));
    join(journal.accepted(List.of(edge(id, 7, null))));
    join(journal.partEnded(id, "w3", new byte[] {1}));
    String key = prefix + "{" + id + "}";
    assertThat(journal.instanceKey(id)).isEqualTo(key);
    assertThat(RedisServers.keysUnder(uri, prefix))
        .containsExactlyInAnyOrder(key, prefix + "running");
    Map<String, String> fields = RedisServers.with(uri, c -> c.sync().hgetall(key));
    assertThat(fields).containsOnlyKeys("start", "c:n#0", "e:7", "p:w3");
    assertThat(fields.get("e:7")).doesNotContain("payload");
    Double score = RedisServers.with(uri, c -> c.sync().zscore(prefix + "running", id));
    assertThat(score).isEqualTo(1234.0);
  }

  @Test
  void endedSetsTheRetentionOnTheInstancesHash() throws Exception {
    String id = newId();
    join(journal.started(record(id, 1)));
    String key = journal.instanceKey(id);
    Long before = RedisServers.with(uri, c -> c.sync().pttl(key));
    assertThat(before).isEqualTo(-1L);
    join(journal.ended(id));
    long ttl = RedisServers.with(uri, c -> c.sync().pttl(key));
    assertThat(ttl).isPositive().isLessThanOrEqualTo(RETENTION.toMillis());
    Double score = RedisServers.with(uri, c -> c.sync().zscore(journal.runningKey(), id));
    assertThat(score).isNull();
  }

  @Test
  void keyPrefixesKeepJournalsApart() throws Exception {
    String id = newId();
    join(journal.started(record(id, 1)));
    String other = prefix + "other:";
    try (RedisJournal elsewhere =
        RedisJournal.open(uri, Duration.ofSeconds(10), RETENTION, other)) {
      assertThat(join(elsewhere.running())).isEmpty();
      assertThat(join(elsewhere.load(id))).isEmpty();
    }
    assertThatThrownBy(() -> RedisJournal.open(uri, Duration.ofSeconds(1), RETENTION, "a{b}"))
        .hasMessageContaining("keyPrefix must be non-empty without braces");
  }

  @Test
  void aFlushedScriptCacheFallsBackToEval() throws Exception {
    String id = newId();
    RedisServers.with(uri, c -> c.sync().scriptFlush());
    CallOutcome o = CallOutcome.completed(json("\"x\""));
    assertThat(join(journal.called(id, "k", o))).isEqualTo(o);
    assertThat(join(peer.called(id, "k", CallOutcome.completed(json("2"))))).isEqualTo(o);
  }

  @Test
  void redisAwayFailsWritesWithinTheWaitNamingRedisAndBackTheyGoOn() throws Exception {
    int port = RedisServers.freePort();
    try (RedisServers.Own redis = new RedisServers.Own(port)) {
      redis.start();
      String where = "redis://127.0.0.1:" + port;
      try (RedisJournal shortWait =
              RedisJournal.open(redis.uri(), Duration.ofSeconds(1), RETENTION, prefix);
          RedisJournal longWait =
              RedisJournal.open(redis.uri(), Duration.ofMinutes(2), RETENTION, prefix)) {
        String id = newId();
        join(shortWait.started(record(id, 1)));
        assertThat(shortWait.reachable()).isTrue();

        redis.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !shortWait.reachable());
        CompletableFuture<CallOutcome> lost =
            shortWait.called(id, "k", CallOutcome.completed(json("1"))).toCompletableFuture();
        assertThatThrownBy(lost::get)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(JournalException.class)
            .hasMessage(
                "durability: Redis at "
                    + where
                    + " did not answer within 1s (recording call k of instance "
                    + id
                    + ")")
            .satisfies(e -> assertThat(((ClusterException) e).retryable()).isTrue());
        // a write made while Redis is away waits for it (longWait's bound) and goes on
        CompletableFuture<Void> waiting = longWait.started(record(id, 2)).toCompletableFuture();
        assertThat(waiting).isNotDone();

        redis.start(); // same port, empty (no persistence)
        join(waiting);
        await().atMost(Duration.ofSeconds(30)).until(shortWait::reachable);
        CallOutcome o = CallOutcome.completed(json("3"));
        assertThat(join(shortWait.called(id, "k", o))).isEqualTo(o);
        Recorded r = join(shortWait.load(id)).orElseThrow();
        assertThat(r.start().startedAtMillis()).isEqualTo(2);
        assertThat(r.calls()).containsOnly(Map.entry("k", o));
      }
    }
  }

  @Test
  void anUnreachableRedisAtOpenIsNamed() throws Exception {
    int port = RedisServers.freePort();
    assertThatThrownBy(
            () ->
                RedisJournal.open(
                    URI.create("redis://:secret@127.0.0.1:" + port),
                    Duration.ofSeconds(1),
                    RETENTION,
                    prefix))
        .isInstanceOf(JournalException.class)
        .hasMessageStartingWith(
            "durability: Redis at redis://127.0.0.1:" + port + " is not reachable")
        .message()
        .doesNotContain("secret");
  }
}
