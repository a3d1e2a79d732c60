package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.master.ExecutionMode;
import io.sluice.master.partition.Partitioner;
import io.sluice.testing.IntegrationTest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Serverless Workflow {@code export} chain and ASL {@code Assign} variables on a master and two
 * workers in this JVM, placed by the hash partitioner so that every edge of the chain goes from one
 * worker to the other: the context travels inside the edge events, with the data.
 */
@IntegrationTest // a master and two workers over gRPC on loopback; a process function (cat)
class ContextClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGISTRY =
      "{\"functions\": {\"Echo\": {\"runtime\": \"process\", \"command\": \"cat\"}}}";

  private static JsonNode run(LocalCluster cluster, String file, String flow, String input)
      throws Exception {
    var reg = cluster.master().registerWorkflow(file, flow, "", REGISTRY, "functions.json");
    Map<String, String> at = reg.placement().workers();
    // every hop of the chain crosses workers (hash placement: a, c on one; b, d on the other)
    assertThat(at.get("a")).isNotEqualTo(at.get("b"));
    assertThat(at.get("b")).isNotEqualTo(at.get("c"));
    assertThat(at.get("c")).isNotEqualTo(at.get("d"));
    var end =
        cluster
            .master()
            .invoke(
                reg.workflow().key(),
                JSON.readTree(input),
                ExecutionMode.WORKER,
                null,
                "ctx-" + file.hashCode())
            .done()
            .get(60, TimeUnit.SECONDS);
    assertThat(end.state()).as("%s", end).isEqualTo(InstanceState.COMPLETED);
    return end.output();
  }

  @Test
  void theContextCrossesWorkersWithTheData() throws Exception {
    try (LocalCluster cluster = new LocalCluster(2, null, Partitioner.hash())) {
      JsonNode sw =
          run(
              cluster,
              "ctx.yaml",
              """
              document: {dsl: '1.0.0', namespace: test, name: ctx, version: '1.0.0'}
              do:
                - a:
                    set: {n: '${ .n }'}
                    export: {as: '${ {seen: ["a"], n: .n} }'}
                - b:
                    call: Echo
                    with: {m: '${ $context.n * 10 }'}
                    export: {as: '${ $context + {seen: ($context.seen + ["b"]), m: .m} }'}
                - c:
                    set: {m: '${ .m }'}
                    export: {as: '${ $context + {seen: ($context.seen + ["c"])} }'}
                - d:
                    set: {ctx: '${ $context }', m: '${ .m }'}
              """,
              "{\"n\": 4}");
      assertThat(sw)
          .isEqualTo(
              JSON.readTree(
                  "{\"ctx\": {\"seen\": [\"a\", \"b\", \"c\"], \"n\": 4, \"m\": 40}, \"m\": 40}"));

      JsonNode asl =
          run(
              cluster,
              "vars.asl.json",
              """
              {"StartAt": "a", "States": {
                "a": {"Type": "Pass", "Assign": {"x": 1, "who.$": "$.who"}, "Next": "b"},
                "b": {"Type": "Task", "Resource": "Echo",
                      "Parameters": {"x.$": "$x", "who.$": "$who"},
                      "Assign": {"x.$": "States.MathAdd($.x, 1)", "prev.$": "$x"}, "Next": "c"},
                "c": {"Type": "Pass", "Assign": {"x.$": "States.MathAdd($x, 1)"}, "Next": "d"},
                "d": {"Type": "Pass",
                      "Parameters": {"x.$": "$x", "prev.$": "$prev", "who.$": "$who", "in.$": "$"},
                      "End": true}}}
              """,
              "{\"who\": \"ada\"}");
      assertThat(asl)
          .isEqualTo(
              JSON.readTree(
                  "{\"x\": 3, \"prev\": 1, \"who\": \"ada\", \"in\": {\"x\": 1, \"who\": \"ada\"}}"));
    }
  }
}
