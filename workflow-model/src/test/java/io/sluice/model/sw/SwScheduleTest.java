package io.sluice.model.sw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.WorkflowGraph;
import io.sluice.model.WorkflowSchedule;
import io.sluice.model.format.WorkflowLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code schedule} becomes the graph's {@link WorkflowSchedule}; its mistakes are at its line. */
class SwScheduleTest {
  private static final String HEAD =
      "document:\n  dsl: '1.0.2'\n  namespace: test\n  name: demo\n  version: '0.1.0'\n";

  private static WorkflowGraph load(String schedule) {
    return new WorkflowLoader()
        .load("demo.yaml", HEAD + "schedule:\n" + schedule + "do:\n  - a: {set: {x: 1}}\n");
  }

  @Test
  void everyAfterAndCronAreRead() {
    assertThat(load("  every: PT0.2S\n").schedule())
        .isEqualTo(WorkflowSchedule.every(Duration.ofMillis(200)));
    assertThat(load("  after: {minutes: 1, seconds: 30}\n").schedule().interval())
        .isEqualTo(Duration.ofSeconds(90));
    WorkflowSchedule c = load("  cron: '0 0 * * *'\n").schedule();
    assertThat(c.kind()).isEqualTo(WorkflowSchedule.Kind.CRON);
    assertThat(c.describe()).isEqualTo("cron 0 0 * * *");
  }

  @Test
  void onReadsTheFiltersAsListenDoes() {
    WorkflowSchedule s =
        load("""
                  on:
                    all:
                      - with: {type: order.placed, source: shop}
                      - with: {type: payment.done}
                """)
            .schedule();
    assertThat(s.strategy()).isEqualTo("all");
    assertThat(s.events())
        .extracting(WorkflowSchedule.Filter::type)
        .containsExactly("order.placed", "payment.done");
    assertThat(s.events().get(0).with().get("source").asText()).isEqualTo("shop");
    assertThat(s.describe()).isEqualTo("on all [order.placed,payment.done]");
  }

  @Test
  void aWorkflowTimeoutKeepsTheSchedule() {
    WorkflowGraph g =
        new WorkflowLoader()
            .load(
                "demo.yaml",
                HEAD
                    + "timeout: {after: PT1M}\nschedule: {every: PT1H}\ndo:\n  - a: {set: {x: 1}}\n");
    assertThat(g.schedule()).isEqualTo(WorkflowSchedule.every(Duration.ofHours(1)));
  }

  @Test
  void mistakesAreOneLineAtTheScheduleLineNamingTheField() {
    assertThatThrownBy(() -> load("  cron: '0 25 * * *'\n"))
        .hasMessageContaining(
            "demo.yaml:7: -: schedule.cron: cron '0 25 * * *': hour '25': 25 is out of range 0-23");
    assertThatThrownBy(() -> load("  every: 1h\n"))
        .hasMessageContaining("demo.yaml:7: -: schedule.every: bad ISO 8601 duration '1h'");
    assertThatThrownBy(() -> load("  every: PT1M\n  after: PT1M\n"))
        .hasMessageContaining(
            "demo.yaml:6: -: schedule needs exactly one of every, cron, after or on (got [every,"
                + " after])");
    assertThatThrownBy(() -> load("  on: {one: {with: {source: x}}}\n"))
        .hasMessageContaining(
            "demo.yaml:7: -: schedule.on: every filter needs with.type, a literal string");
  }
}
