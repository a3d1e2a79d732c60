package io.sluice.cluster.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.WorkflowKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Journal} does, run against {@link MemoryJournal} and {@link RedisJournal} with
 * the same assertions: every record round-trips (JSON {@code null} outputs and payloads apart from
 * absent ones), the first call outcome wins under a race, edges are kept once by index, ended
 * instances leave {@link Journal#running()}.
 */
abstract class JournalContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final WorkflowKey WF = new WorkflowKey("genome", "1");

  /** The journal under test. */
  abstract Journal journal();

  /** A second writer on the same store (another worker's journal). */
  abstract Journal peer();

  static <T> T join(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String newId() {
    return "i-" + UUID.randomUUID();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static InstanceRecord record(String id, long startedAt) {
    return new InstanceRecord(
        id,
        WF,
        json("{\"n\":[1,2.5,\"x\"],\"s\":\"ü\"}"),
        Map.of("a", "w1", "b", "w2"),
        startedAt,
        new byte[] {0, 1, (byte) 0xff, 42},
        "ci"); // who started it: a restarted master keeps refusing it to other submit callers
  }

  static EdgeEvent edge(String id, int index, JsonNode payload) {
    return new EdgeEvent(
        id + "/" + index, id, WF, index, "n" + index, "m" + index, payload, 1234 + index, 567);
  }

  static void assertSameStart(InstanceRecord got, InstanceRecord want) {
    assertThat(got.instanceId()).isEqualTo(want.instanceId());
    assertThat(got.workflow()).isEqualTo(want.workflow());
    assertThat(got.input()).isEqualTo(want.input());
    assertThat(got.placement()).isEqualTo(want.placement());
    assertThat(got.startedAtMillis()).isEqualTo(want.startedAtMillis());
    assertThat(got.startedBy()).isEqualTo(want.startedBy());
    assertThat(got.options()).isEqualTo(want.options());
  }

  @Test
  void everyRecordRoundTrips() throws Exception {
    Journal j = journal();
    String id = newId();
    InstanceRecord start = record(id, 1_700_000_000_123L);
    join(j.started(start));
    CallOutcome ok = CallOutcome.completed(json("{\"out\":[true,null]}"));
    CallOutcome nullOutput = CallOutcome.completed(NullNode.getInstance());
    CallOutcome failed = CallOutcome.failed("TimedOut", "took 3s > 1s", true);
    assertThat(join(j.called(id, "a#0", ok))).isEqualTo(ok);
    assertThat(join(j.called(id, "b#0", nullOutput))).isEqualTo(nullOutput);
    assertThat(join(j.called(id, "c[2]#1", failed))).isEqualTo(failed);
    List<EdgeEvent> edges =
        List.of(edge(id, 0, json("{\"v\":1}")), edge(id, 1, null), edge(id, 2, NullNode.instance));
    join(j.accepted(edges));
    byte[] part = "result of w2".getBytes(StandardCharsets.UTF_8);
    join(j.partEnded(id, "w2", part));

    Recorded r = join(j.load(id)).orElseThrow();
    assertSameStart(r.start(), start);
    assertThat(r.calls())
        .containsOnly(
            Map.entry("a#0", ok), Map.entry("b#0", nullOutput), Map.entry("c[2]#1", failed));
    assertThat(r.calls().get("b#0").output()).isEqualTo(NullNode.getInstance());
    assertThat(sorted(r.edges())).containsExactlyElementsOf(edges);
    assertThat(r.edges().get(1).skipped()).isTrue();
    assertThat(sorted(r.edges()).get(2).skipped()).isFalse();
    assertThat(r.parts()).containsOnlyKeys("w2");
    assertThat(r.parts().get("w2")).isEqualTo(part);
  }

  @Test
  void theFirstOutcomeWinsAndALaterOneGetsIt() throws Exception {
    String id = newId();
    CallOutcome first = CallOutcome.completed(json("1"));
    CallOutcome second = CallOutcome.failed("Crashed", "late", false);
    assertThat(join(journal().called(id, "k", first))).isEqualTo(first);
    assertThat(join(peer().called(id, "k", second))).isEqualTo(first);
    assertThat(join(journal().load(id)).orElseThrow().calls()).containsOnly(Map.entry("k", first));
  }

  @Test
  void twoWritersRacingOnACallKeyGetTheSameWinner() throws Exception {
    String id = newId();
    int keys = 200;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Future<List<CallOutcome>> a = pool.submit(() -> race(journal(), id, keys, "A", go));
      Future<List<CallOutcome>> b = pool.submit(() -> race(peer(), id, keys, "B", go));
      go.countDown();
      List<CallOutcome> byA = a.get(60, TimeUnit.SECONDS);
      List<CallOutcome> byB = b.get(60, TimeUnit.SECONDS);
      Map<String, CallOutcome> recorded = join(journal().load(id)).orElseThrow().calls();
      assertThat(recorded).hasSize(keys);
      for (int k = 0; k < keys; k++) {
        assertThat(byA.get(k)).as("key %d", k).isEqualTo(byB.get(k));
        assertThat(recorded.get("k" + k)).isEqualTo(byA.get(k));
        assertThat(byA.get(k).output().asText()).isIn("A" + k, "B" + k);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<CallOutcome> race(
      Journal j, String id, int keys, String who, CountDownLatch go) throws Exception {
    go.await();
    List<CompletableFuture<CallOutcome>> stages = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      stages.add(
          j.called(id, "k" + k, CallOutcome.completed(JSON.getNodeFactory().textNode(who + k)))
              .toCompletableFuture());
    }
    List<CallOutcome> out = new ArrayList<>();
    for (CompletableFuture<CallOutcome> s : stages) {
      out.add(s.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void edgesAreKeptOnceByIndexAcrossInstancesInOneCall() throws Exception {
    String x = newId();
    String y = newId();
    EdgeEvent x0 = edge(x, 0, json("\"first\""));
    join(journal().accepted(List.of(x0, edge(y, 3, null), edge(x, 1, json("1")))));
    // a redelivery (another payload for the same edge) does not replace the first
    join(peer().accepted(List.of(edge(x, 0, json("\"again\"")), edge(y, 4, json("4")))));
    List<EdgeEvent> xs = sorted(join(journal().load(x)).orElseThrow().edges());
    assertThat(xs).extracting(EdgeEvent::edge).containsExactly(0, 1);
    assertThat(xs.get(0)).isEqualTo(x0);
    assertThat(sorted(join(journal().load(y)).orElseThrow().edges()))
        .extracting(EdgeEvent::edge)
        .containsExactly(3, 4);
    join(journal().accepted(List.of()));
  }

  @Test
  void endedInstancesLeaveRunningButCanStillBeLoaded() throws Exception {
    String a = newId();
    String b = newId();
    join(journal().started(record(a, 1000)));
    join(journal().started(record(b, 2000)));
    assertThat(ids(join(journal().running()))).contains(a, b);
    join(journal().ended(a));
    List<InstanceRecord> running = join(peer().running());
    assertThat(ids(running)).contains(b).doesNotContain(a);
    assertSameStart(
        running.stream().filter(r -> r.instanceId().equals(b)).findFirst().orElseThrow(),
        record(b, 2000));
    assertSameStart(join(journal().load(a)).orElseThrow().start(), record(a, 1000));
    join(journal().ended(b));
  }

  @Test
  void aRedriveKeepsTheStartAndTheSuccessfulOutcomesOnly() throws Exception {
    Journal j = journal();
    String id = newId();
    InstanceRecord start = record(id, 3000);
    join(j.started(start));
    CallOutcome ok = CallOutcome.completed(json("{\"a\":1}"));
    join(j.called(id, "a@1", ok));
    join(j.called(id, "b@1", CallOutcome.failed("Boom", "b failed", false)));
    join(j.accepted(List.of(edge(id, 0, json("1")))));
    join(j.partEnded(id, "w1", new byte[] {1}));
    join(j.partMoved(id, "w2", "w1"));
    join(j.ended(id, new byte[] {7}));
    assertThat(ids(join(j.running()))).doesNotContain(id);

    Recorded kept = join(j.redrive(id)).orElseThrow();
    assertSameStart(kept.start(), start);
    assertThat(kept.calls()).containsOnly(Map.entry("a@1", ok));
    Recorded now = join(peer().load(id)).orElseThrow();
    assertThat(now.calls()).containsOnly(Map.entry("a@1", ok));
    assertThat(now.edges()).isEmpty();
    assertThat(now.parts()).isEmpty();
    assertThat(now.moves()).isEmpty();
    assertThat(now.end()).isNull();
    assertThat(ids(join(peer().running()))).as("running again").contains(id);
    // the failed call's key is free: the new run records its own outcome
    CallOutcome again = CallOutcome.completed(json("2"));
    assertThat(join(j.called(id, "b@1", again))).isEqualTo(again);
    join(j.ended(id));
    assertThat(join(j.redrive(newId()))).isEmpty();
  }

  @Test
  void anUnknownInstanceLoadsEmpty() throws Exception {
    assertThat(join(journal().load(newId()))).isEqualTo(Optional.empty());
  }

  @Test
  void isEnabled() {
    assertThat(journal().enabled()).isTrue();
    assertThat(Journal.NONE.enabled()).isFalse();
  }

  static List<EdgeEvent> sorted(List<EdgeEvent> edges) {
    return edges.stream().sorted(Comparator.comparingInt(EdgeEvent::edge)).toList();
  }

  static List<String> ids(List<InstanceRecord> records) {
    return records.stream().map(InstanceRecord::instanceId).toList();
  }
}
