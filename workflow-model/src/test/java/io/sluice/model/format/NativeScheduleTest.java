package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.WorkflowSchedule;
import io.sluice.testing.MiniSchemaValidator;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The native format's top-level {@code schedule}: read, written back (a Serverless Workflow
 * schedule survives the trip), checked by the JSON Schema, and a mistake at its line.
 */
class NativeScheduleTest {
  private static final String HEAD = "sluice: '1.0'\nname: tick\nnodes:\n  - {id: a, type: pass}\n";

  private static JsonNode schemaErrorsOf(JsonNode doc) throws Exception {
    try (InputStream in =
        NativeScheduleTest.class.getResourceAsStream(
            "/io/sluice/model/format/sluice-workflow-1.0.schema.json")) {
      return new ObjectMapper()
          .valueToTree(new MiniSchemaValidator(new ObjectMapper().readTree(in)).validate(doc));
    }
  }

  @Test
  void aScheduleIsReadWithTheNativeDurations() throws Exception {
    WorkflowGraph g = new WorkflowLoader().load("t.yaml", HEAD + "schedule: {every: 200ms}\n");
    assertThat(g.schedule()).isEqualTo(WorkflowSchedule.every(Duration.ofMillis(200)));
    assertThat(schemaErrorsOf(NativeWriter.toTree(g))).isEmpty();
  }

  @Test
  void aServerlessWorkflowScheduleSurvivesTheNativeFormat() throws Exception {
    WorkflowGraph sw =
        new WorkflowLoader()
            .load(
                "o.yaml",
                "document: {dsl: '1.0.2', namespace: t, name: o, version: '1'}\n"
                    + "schedule:\n  on:\n    all:\n      - with: {type: a, source: s}\n"
                    + "      - with: {type: b, data: {n: 1}}\n"
                    + "do:\n  - x: {set: {ok: true}}\n");
    String yaml = NativeWriter.toYaml(sw);
    WorkflowGraph back = new WorkflowLoader().load("o.sluice.yaml", yaml);
    assertThat(back.schedule()).isEqualTo(sw.schedule());
    assertThat(schemaErrorsOf(NativeWriter.toTree(sw))).isEmpty();
    WorkflowGraph cron =
        new WorkflowLoader().load("c.yaml", HEAD + "schedule: {cron: '0 */2 * * MON-FRI'}\n");
    assertThat(new WorkflowLoader().load("c2.yaml", NativeWriter.toYaml(cron)).schedule())
        .isEqualTo(cron.schedule());
  }

  @Test
  void mistakesAreAtTheScheduleLineAndTheSchemaRefusesTwoKinds() throws Exception {
    assertThatThrownBy(
            () ->
                new WorkflowLoader().load("t.yaml", HEAD + "schedule:\n  cron: '* * * * * * *'\n"))
        .hasMessageContaining(
            "t.yaml:6: -: schedule.cron: cron '* * * * * * *': expected 5 fields");
    assertThatThrownBy(
            () -> new WorkflowLoader().load("t.yaml", HEAD + "schedule: {after: soon}\n"))
        .hasMessageContaining("t.yaml:5: -: schedule.after: bad duration 'soon'");
    JsonNode two =
        new ObjectMapper()
            .readTree(
                "{\"sluice\":\"1.0\",\"name\":\"t\",\"nodes\":[{\"id\":\"a\",\"type\":\"pass\"}],"
                    + "\"schedule\":{\"every\":\"1s\",\"after\":\"1s\"}}");
    assertThat(schemaErrorsOf(two)).isNotEmpty();
  }
}
