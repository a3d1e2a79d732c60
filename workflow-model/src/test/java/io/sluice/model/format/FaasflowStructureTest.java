package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.Expr;
import io.sluice.model.MapNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.expr.JqEvaluator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaasflowStructureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JqEvaluator JQ = JqEvaluator.shared();

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  static JsonNode eval(Expr e, String input, Map<String, JsonNode> vars) {
    return JQ.first(e, json(input), vars);
  }

  @Test
  void videoHasASwitchOnSplitAndAMapOverSplitKeys() {
    WorkflowGraph g = FaasflowImporterTest.load("video");
    SwitchNode sw = (SwitchNode) g.node("virtual1");
    assertThat(sw.cases()).hasSize(1);
    assertThat(sw.cases().get(0).target()).isEqualTo("split");
    assertThat(sw.defaultTarget()).isEqualTo("simple_process");
    assertThat(g.edges())
        .contains(new Edge("virtual1", "split", Edge.Kind.BRANCH, 0))
        .contains(new Edge("virtual1", "simple_process", Edge.Kind.BRANCH, 0))
        .contains(new Edge("upload", "virtual1", Edge.Kind.NEXT, 0));
    Expr cond = sw.cases().get(0).condition();
    for (String falsy : new String[] {"null", "false", "0", "\"\"", "[]", "{}"}) {
      assertThat(JqEvaluator.truthy(eval(cond, "{\"split\": " + falsy + "}", Map.of())))
          .as("split = %s", falsy)
          .isFalse();
    }
    assertThat(JqEvaluator.truthy(eval(cond, "{}", Map.of()))).isFalse();
    assertThat(JqEvaluator.truthy(eval(cond, "{\"split\": 1}", Map.of()))).isTrue();
    assertThat(JqEvaluator.truthy(eval(cond, "{\"split\": \"yes\"}", Map.of()))).isTrue();

    // upload passes INPUT.split (and the other INPUT parameters) through to the switch
    TaskNode upload = (TaskNode) g.node("upload");
    JsonNode out =
        eval(
            upload.options().output(),
            "{\"node\": \"upload\"}",
            Map.of(
                "input", json("{\"split\": true, \"video_name\": \"v\"}"), "workflow", json("{}")));
    assertThat(out.get("node").asText()).isEqualTo("upload");
    assertThat(out.get("split").asBoolean()).isTrue();
    assertThat(out.get("video_name").asText()).isEqualTo("v");

    // split emits a keys list of split_ratio (3) elements; transcode maps over it
    TaskNode split = (TaskNode) g.node("split");
    assertThat(split.options().output().source()).isEqualTo(". + {\"split_keys\": [range(3)]}");
    JsonNode splitOut = eval(split.options().output(), "{\"node\": \"split\"}", Map.of());
    MapNode transcode = (MapNode) g.node("transcode");
    assertThat(transcode.items().source()).isEqualTo(".split_keys");
    assertThat(JQ.first(transcode.items(), splitOut, Map.of()).toString()).isEqualTo("[0,1,2]");
    assertThat(transcode.iterator().nodes()).hasSize(1);
    TaskNode body = (TaskNode) transcode.iterator().node("transcode");
    assertThat(body.function()).isEqualTo("transcode");
    assertThat(body.options().hints().computeTime().toMillis()).isEqualTo(1740);
    assertThat(body.options().hints().outputBytes()).isEqualTo(22694084);
    assertThat(transcode.iterator().functions()).containsKey("transcode");
    assertThat(g.functions()).containsKey("transcode").doesNotContainKeys("VIRTUAL", "END");
    assertThat(g.edges()).contains(new Edge("transcode", "merge", Edge.Kind.NEXT, 0));
  }

  @Test
  void mosaicIsFedByTwoSwitches() {
    WorkflowGraph g = FaasflowImporterTest.load("illgal_recognizer");
    assertThat(GraphChecks.incoming(g, "mosaic"))
        .extracting(Edge::from, Edge::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("virtual1", Edge.Kind.BRANCH),
            org.assertj.core.groups.Tuple.tuple("virtual2", Edge.Kind.BRANCH));
    assertThat(g.node("END")).isInstanceOf(EndNode.class);
    assertThat(((EndNode) g.node("END")).fail()).isFalse();
    assertThat(((SwitchNode) g.node("virtual2")).defaultTarget()).isEqualTo("END");
    assertThat(g.nodes().values().stream().filter(n -> n instanceof SwitchNode)).hasSize(2);

    // mosaic merges whichever switch delivered; virtual1 merges adult's and violence's outputs
    Expr merge = g.node("mosaic").options().input();
    assertThat(eval(merge, "{\"virtual1\": {\"a\": 1}, \"virtual2\": {\"b\": 2}}", Map.of()))
        .isEqualTo(json("{\"a\": 1, \"b\": 2}"));
    assertThat(eval(merge, "{\"illegal_flag\": true, \"content\": \"x\"}", Map.of()))
        .isEqualTo(json("{\"illegal_flag\": true, \"content\": \"x\"}"));
    SwitchNode v1 = (SwitchNode) g.node("virtual1");
    JsonNode merged =
        eval(
            v1.options().input(),
            "{\"adult\": {\"illegal_flag\": false}, \"violence\": {\"illegal_flag\": true}}",
            Map.of());
    assertThat(JqEvaluator.truthy(JQ.first(v1.cases().get(0).condition(), merged, Map.of())))
        .isTrue();
  }

  @Test
  void wordcountMapsOverFilenamesAndOutputsTheMergeResult() {
    WorkflowGraph g = FaasflowImporterTest.load("wordcount");
    MapNode count = (MapNode) g.node("count");
    assertThat(count.items().source()).isEqualTo(".filename");
    assertThat(g.node("start").options().output().source())
        .isEqualTo(". + {\"filename\": [range(1)]}");
    assertThat(g.output().source()).isEqualTo(".result");
    assertThat(g.edges()).contains(new Edge("start", "count", Edge.Kind.NEXT, 8 + 3383449));
    assertThat(g.edges()).contains(new Edge("count", "merge", Edge.Kind.NEXT, 80));
  }
}
