package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.api.ClusterException;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.durable.RedisJournal;
import io.sluice.cluster.durable.RedisServers;
import io.sluice.master.ExecutionMode;
import io.sluice.master.instance.InstanceReport;
import io.sluice.master.instance.InstanceRun;
import io.sluice.testing.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A durable cluster whose Redis goes away (a redis-server of the test's own, stopped by its pid and
 * started again on the same port): new instances are refused with an error naming Redis; running
 * ones wait for it and go on when it is back within {@code redisWait}, or fail with an error naming
 * Redis after it — never a hang.
 */
@IntegrationTest
class DurableRedisAwayTest {
  private static final Duration REDIS_WAIT = Duration.ofSeconds(3);

  private RedisServers.Own redis;
  private RedisJournal journal;
  private DurableCluster cluster;

  private void start() throws Exception {
    redis = new RedisServers.Own(RedisServers.freePort());
    redis.start();
    journal = RedisJournal.open(redis.uri(), REDIS_WAIT, Duration.ofMinutes(5), "sluice:away:");
    cluster = new DurableCluster(journal, 150);
  }

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (journal != null) {
      journal.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void runningInstancesWaitForRedisAndGoOnWhenItIsBack() throws Exception {
    start();
    var reg = cluster.master().registerWorkflow("chain.yaml", DurableCluster.CHAIN, "", "", "");
    List<InstanceRun> runs = cluster.start(reg.workflow().key(), "away-", 10);
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> cluster.callStarts.size() >= 20);
    redis.stop();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !journal.reachable());

    assertThatThrownBy(
            () ->
                cluster
                    .master()
                    .invoke(
                        reg.workflow().key(),
                        DurableCluster.JSON.createObjectNode(),
                        ExecutionMode.WORKER,
                        null,
                        "refused"))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("Redis at " + redis.uri())
        .hasMessageContaining("refused");

    redis.start(); // back on the same port within redisWait
    for (int i = 0; i < runs.size(); i++) {
      InstanceReport r = runs.get(i).done().get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.COMPLETED);
      assertThat(r.output().toString()).contains(i + ":abcdefgh");
    }
  }

  @Test
  void runningInstancesFailNamingRedisWhenItStaysAway() throws Exception {
    start();
    var reg = cluster.master().registerWorkflow("chain.yaml", DurableCluster.CHAIN, "", "", "");
    List<InstanceRun> runs = cluster.start(reg.workflow().key(), "gone-", 10);
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> cluster.callStarts.size() >= 20);
    redis.stop();
    for (InstanceRun run : runs) {
      InstanceReport r = run.done().get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.FAILED);
      assertThat(r.error().type()).as(r.toString()).isEqualTo("DurabilityUnavailable");
      assertThat(r.error().message()).contains("Redis at").contains("did not answer within 3s");
    }
  }
}
