package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.runtime.InvocationListener;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The invocation meters: by function, runtime and outcome; error series only once one failed. */
class WorkerMetricsTest {
  @Test
  void countsAndTimesInvocationsByOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InvocationListener.Probe p = WorkerMetrics.invocations(registry).probe("java", "align");
    p.ended(2_000_000, null);
    p.ended(4_000_000, null);
    assertThat(registry.find("sluice.node.invocations").tag("outcome", "error").counter()).isNull();
    p.ended(1_000_000, new IllegalStateException("x"));

    var ok = registry.get("sluice.node.invocation").tags("function", "align", "outcome", "ok");
    assertThat(ok.timer().count()).isEqualTo(2);
    assertThat(ok.timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6.0);
    assertThat(
            registry
                .get("sluice.node.invocations")
                .tags("function", "align", "runtime", "java", "outcome", "ok")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("sluice.node.invocations")
                .tags("function", "align", "runtime", "java", "outcome", "error")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void functionsBeyondTheMostNamedShareOneSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InvocationListener l = WorkerMetrics.invocations(registry, 2);
    l.probe("synthetic", "a").ended(1, null);
    l.probe("synthetic", "b").ended(1, null);
    l.probe("synthetic", "c").ended(1, null);
    l.probe("synthetic", "d").ended(1, null);
    l.probe("synthetic", "a").ended(1, null); // a name seen before keeps its own
    assertThat(registry.find("sluice.node.invocations").counters())
        .extracting(c -> c.getId().getTag("function"))
        .containsExactlyInAnyOrder("a", "b", WorkerMetrics.OTHER);
    assertThat(registry.get("sluice.node.invocations").tags("function", "a").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("sluice.node.invocations")
                .tags("function", WorkerMetrics.OTHER)
                .counter()
                .count())
        .isEqualTo(2);
  }
}
