package io.sluice.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.Eventually;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warm pool against a {@link FakeDockerEngine} and a {@link ManualScheduler}: what failed
 * starts, a pool closing under a start and a cancelled call whose container dies do to its slots,
 * its waiting calls and the engine. No Docker needed; backoff time moves only when a test says so.
 */
class ContainerPoolTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMAGE = "sluice/fake:test";

  private ManualScheduler scheduler;
  private FakeDockerEngine engine;
  private DockerFunctionRuntime runtime;

  @BeforeEach
  void setUp() {
    scheduler = new ManualScheduler();
    engine = new FakeDockerEngine();
    runtime = new DockerFunctionRuntime(RuntimeOptions.of(scheduler), () -> engine);
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    assertThat(engine.liveIds()).as("containers left after close").isEmpty();
  }

  private static FunctionDef fn(String name, Object... settings) {
    ObjectNode s = JSON.createObjectNode().put("image", IMAGE).put("codeText", "def main(a): a");
    for (int i = 0; i < settings.length; i += 2) {
      s.set((String) settings[i], JSON.valueToTree(settings[i + 1]));
    }
    return new FunctionDef(name, "docker", s, Location.of("test", 1));
  }

  private CompletableFuture<JsonNode> call(FunctionDef f) {
    return runtime
        .invoke(
            new Invocation(
                f, JSON.createObjectNode(), Long.MAX_VALUE, "i", "node-p", 1, Hints.NONE))
        .toCompletableFuture();
  }

  private static FunctionException failure(CompletableFuture<JsonNode> call) throws Exception {
    try {
      JsonNode out = call.get(30, TimeUnit.SECONDS);
      throw new AssertionError("the call did not fail but answered " + out);
    } catch (ExecutionException e) {
      return FunctionException.of(e);
    }
  }

  private ContainerPool pool() {
    assertThat(runtime.pools()).hasSize(1);
    return runtime.pools().get(0);
  }

  /** Waits until the pool has handled the failure of the {@code k}th create. */
  private void awaitFailed(int k) {
    Eventually.until(
        "create " + k + " to fail and the pool to retire its slot",
        () -> engine.creates() == k && pool().size() == 0);
  }

  /** Lets five starts of a prewarmed function fail, advancing time by each backoff exactly. */
  private void failFiveStarts(FunctionDef f) {
    runtime.warmUp(f);
    long backoff = 200;
    for (int k = 1; k <= 4; k++) {
      awaitFailed(k);
      scheduler.advance(Duration.ofMillis(backoff - 1));
      assertThat(pool().started())
          .as("starts before a backoff of %d ms ends", backoff)
          .isEqualTo(k);
      scheduler.advance(Duration.ofMillis(1));
      assertThat(pool().started())
          .as("starts once a backoff of %d ms ends", backoff)
          .isEqualTo(k + 1);
      backoff *= 2;
    }
    awaitFailed(5);
  }

  @Test
  void aStartThatKeepsFailingIsRetriedWithGrowingBackoffAndPrewarmStopsAfterFiveFailures() {
    engine.failEvery(FakeDockerEngine.startError("no such entrypoint"));
    FunctionDef f = fn("flaky", "prewarm", 1);
    failFiveStarts(f);
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(pool().started()).as("prewarm stopped after five failed starts").isEqualTo(5);
    runtime.prewarm(f); // the engine's hint does not start one either
    assertThat(pool().started()).isEqualTo(5);
  }

  @Test
  void aCallAfterPrewarmStoppedStartsAContainerAndGetsItsErrorNamingFunctionAndImage()
      throws Exception {
    engine.failEvery(FakeDockerEngine.startError("no such entrypoint"));
    FunctionDef f = fn("flaky", "prewarm", 1);
    failFiveStarts(f);
    CompletableFuture<JsonNode> c = call(f);
    scheduler.advance(Duration.ofSeconds(30)); // past the backoff after five failures
    assertThat(pool().started()).isEqualTo(6);
    FunctionException e = failure(c);
    assertThat(e.getMessage()).contains("'flaky'", IMAGE, "no such entrypoint");
    awaitFailed(6);
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(pool().started()).as("prewarm stays stopped").isEqualTo(6);
  }

  @Test
  void aSuccessfulStartResetsTheBackoff() throws Exception {
    engine.plan(1, new FakeDockerEngine.Plan(null, FakeDockerEngine.startError("engine busy")));
    engine.plan(2, new FakeDockerEngine.Plan(null, FakeDockerEngine.startError("engine busy")));
    engine.plan(4, new FakeDockerEngine.Plan(null, FakeDockerEngine.startError("engine busy")));
    FunctionDef f = fn("recovering", "prewarm", 1);
    runtime.warmUp(f);
    awaitFailed(1);
    scheduler.advance(Duration.ofMillis(200));
    awaitFailed(2);
    scheduler.advance(Duration.ofMillis(400));
    assertThat(call(f).get(30, TimeUnit.SECONDS).get("container").asText()).startsWith("fake0003");
    // its container dies: the call in it fails, and the replacement starts at once and fails
    String id = engine.liveIds().get(0);
    engine.kill(id);
    assertThat(failure(call(f)).type()).isEqualTo(FunctionException.CONTAINER_EXITED);
    awaitFailed(4);
    scheduler.advance(Duration.ofMillis(199));
    assertThat(pool().started()).as("a backoff of 200 ms again, not 800").isEqualTo(4);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(pool().started()).isEqualTo(5);
    Eventually.until("the fifth start to succeed", () -> pool().containerIds().size() == 1);
  }

  @Test
  void aContainerCreatedAfterThePoolClosedIsRemovedOutsideThePoolsLock() {
    CountDownLatch gate = new CountDownLatch(1);
    engine.plan(1, new FakeDockerEngine.Plan(gate, null));
    runtime.warmUp(fn("late", "prewarm", 1));
    Eventually.until("the create to begin", () -> engine.creates() == 1);
    ContainerPool pool = pool();
    AtomicReference<Boolean> heldLock = new AtomicReference<>();
    engine.onRemove(id -> heldLock.compareAndSet(null, Thread.holdsLock(pool)));
    assertThat(pool.closeAndTakeContainers()).as("nothing created yet").isEmpty();
    gate.countDown();
    Eventually.until("the late container to be removed", () -> engine.removed().size() == 1);
    assertThat(heldLock.get()).as("removed while holding the pool's lock").isFalse();
  }

  @Test
  void aFailedStartFailsOnlyTheCallsNoOtherStartingContainerCanServe() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    engine.plan(1, new FakeDockerEngine.Plan(first, null));
    engine.plan(
        2, new FakeDockerEngine.Plan(second, FakeDockerEngine.startError("port already in use")));
    FunctionDef f = fn("shared", "concurrency", 4, "maxContainers", 2);
    List<CompletableFuture<JsonNode>> served = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      served.add(call(f)); // all four fit in the first container
    }
    Eventually.until("the first create to begin", () -> engine.creates() == 1);
    CompletableFuture<JsonNode> extra = call(f); // needs a second container
    Eventually.until("the second create to begin", () -> engine.creates() == 2);
    second.countDown();
    FunctionException e = failure(extra);
    assertThat(e.getMessage()).contains("'shared'", IMAGE, "port already in use");
    assertThat(served).noneMatch(CompletableFuture::isDone);
    first.countDown();
    for (CompletableFuture<JsonNode> c : served) {
      assertThat(c.get(30, TimeUnit.SECONDS).get("container").asText()).startsWith("fake0001");
    }
  }

  @Test
  void aPrewarmStartThatFailsFailsNoCallThatAnotherStartingContainerServes() throws Exception {
    CountDownLatch ok = new CountDownLatch(1);
    CountDownLatch bad = new CountDownLatch(1);
    engine.plan(1, new FakeDockerEngine.Plan(ok, null));
    engine.plan(2, new FakeDockerEngine.Plan(bad, FakeDockerEngine.startError("engine busy")));
    FunctionDef f = fn("pair", "concurrency", 2, "prewarm", 2, "maxContainers", 2);
    runtime.warmUp(f);
    Eventually.until("both prewarm creates to begin", () -> engine.creates() == 2);
    CompletableFuture<JsonNode> c = call(f); // waits for either prewarmed container
    bad.countDown();
    Eventually.until("the failed start to be retired", () -> pool().size() == 1);
    assertThat(c).isNotDone();
    ok.countDown();
    assertThat(c.get(30, TimeUnit.SECONDS).get("container").asText()).startsWith("fake0001");
  }

  @Test
  void aCancelledCallWhoseContainerThenDiesHasItsContainerRemoved() {
    CountDownLatch hold = new CountDownLatch(1);
    engine.holdRuns(hold);
    CompletableFuture<JsonNode> c = call(fn("abandoned"));
    Eventually.until("the call to reach its container", () -> engine.runs() == 1);
    String id = engine.liveIds().get(0);
    c.cancel(true);
    engine.kill(id);
    Eventually.until("the dead container to be removed", () -> engine.removed().contains(id));
    assertThat(pool().size()).isZero();
    hold.countDown();
  }
}
