package io.sluice.bench.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {
  static final Configuration CONFIG =
      new Configuration(
          "worker", new ClusterSpec("memory", "critical-path", 3, null, null), Load.clients(1));

  /** A completed instance: times in ms. */
  static Sample ok(
      int seq,
      double startMs,
      double latencyMs,
      double elapsedMs,
      double computeMs,
      double dataMs) {
    return new Sample(
        seq,
        "i" + seq,
        true,
        ns(startMs),
        ns(latencyMs),
        ns(elapsedMs),
        ns(computeMs),
        ns(dataMs),
        10,
        4,
        400,
        2,
        100,
        200,
        300,
        "");
  }

  static long ns(double ms) {
    return Math.round(ms * 1e6);
  }

  @Test
  void percentilesAreByNearestRank() {
    double[] v = IntStream.rangeClosed(1, 10).asDoubleStream().toArray();
    assertThat(Stats.percentile(v, 50)).isEqualTo(5);
    assertThat(Stats.percentile(v, 95)).isEqualTo(10);
    assertThat(Stats.percentile(v, 10)).isEqualTo(1);
    double[] hundred = IntStream.rangeClosed(1, 100).map(i -> 101 - i).asDoubleStream().toArray();
    assertThat(Stats.percentile(hundred, 95)).isEqualTo(95);
    assertThat(Stats.percentile(hundred, 99)).isEqualTo(99);
    assertThat(Stats.median(new double[] {3, 1, 2, 4})).isEqualTo(2);
    assertThat(Stats.percentile(new double[0], 50)).isNaN();
    assertThat(Stats.max(new double[] {1, 7, 3})).isEqualTo(7);
  }

  @Test
  void ratiosNeedABaseline() {
    assertThat(Stats.ratio(5, 10)).isEqualTo(0.5);
    assertThat(Stats.ratio(5, 0)).isNaN();
    assertThat(Stats.ratio(Double.NaN, 1)).isNaN();
    assertThat(ResultFiles.ratio(3, 4)).isEqualTo("0.75");
    assertThat(ResultFiles.ratio(3, 0)).isEqualTo("—");
  }

  @Test
  void resultFiguresFollowTheirDefinitions() {
    List<Sample> s = new ArrayList<>();
    // latency, elapsed, compute, data (ms): scheduling overhead = elapsed - compute = 5, 20, 10
    s.add(ok(0, 0, 30, 25, 20, 1));
    s.add(ok(1, 30, 50, 45, 25, 3));
    s.add(ok(2, 80, 40, 30, 20, 2));
    s.add(Sample.failed(3, 120, 10, "rpc DEADLINE_EXCEEDED"));
    s.add(Sample.failed(4, 130, 10, "second error"));
    Result r = Result.of("wf", CONFIG, s, ns(140), 1.5);
    assertThat(r.instances()).isEqualTo(5);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.firstError()).isEqualTo("rpc DEADLINE_EXCEEDED");
    assertThat(r.p50Ms()).isCloseTo(40, within(1e-9));
    assertThat(r.maxMs()).isCloseTo(50, within(1e-9));
    assertThat(r.schedulingOverheadMs()).isCloseTo(10, within(1e-9));
    assertThat(r.dataOverheadMs()).isCloseTo(2, within(1e-9));
    // 3 completed instances, 30 invocations in 140 ms
    assertThat(r.instancesPerSec()).isCloseTo(3 / 0.14, within(1e-6));
    assertThat(r.invocationsPerSec()).isCloseTo(30 / 0.14, within(1e-6));
    assertThat(r.masterMessages()).isEqualTo(4);
    assertThat(r.bytesRedis()).isEqualTo(300);
    assertThat(r.sortedLatenciesMs()).containsExactly(30, 40, 50);
  }

  @Test
  void noCompletedInstanceLeavesFiguresAbsent() {
    Result r = Result.of("wf", CONFIG, List.of(Sample.failed(0, 0, 5, "boom")), ns(5), 0);
    assertThat(r.p50Ms()).isNaN();
    assertThat(r.instancesPerSec()).isZero();
    assertThat(Rows.json(r).get("p50Ms").isNull()).isTrue();
    assertThat(Rows.json(r).get("failed").asInt()).isEqualTo(1);
  }
}
