package io.sluice.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.model.DefinitionException;
import io.sluice.proto.DataRef;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.NodeAssignment;
import io.sluice.proto.NodePlacement;
import io.sluice.proto.Payload;
import io.sluice.proto.PeerAddress;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.runtime.FunctionException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireMapperTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final WorkflowKey KEY = new WorkflowKey("chain", "3");

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s);
  }

  @Test
  void payloadsRoundTripJsonValues() throws Exception {
    for (String s : List.of("{\"a\":[1,2.5,\"x\",null]}", "7", "\"s\"", "null", "true")) {
      JsonNode v = json(s);
      assertThat(WireMapper.json(WireMapper.payload(v), "input")).isEqualTo(v);
    }
    assertThat(WireMapper.payload(null).getJson()).isEqualTo("null");
  }

  @Test
  void malformedPayloadsNameTheField() {
    assertThatThrownBy(() -> WireMapper.json(Payload.newBuilder().setJson("{bad").build(), "input"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input.json is not valid JSON");
    assertThatThrownBy(() -> WireMapper.json(Payload.getDefaultInstance(), "input"))
        .hasMessageContaining("input is missing");
    Payload ref = Payload.newBuilder().setRef(DataRef.newBuilder().setKey("i/n/k")).build();
    assertThatThrownBy(() -> WireMapper.json(ref, "input"))
        .hasMessageContaining("input is a FaaStore reference (i/n/k)");
  }

  @Test
  void workflowRefsRoundTripAndNeedNameAndVersion() {
    assertThat(WireMapper.workflowKey(WireMapper.workflowRef(KEY))).isEqualTo(KEY);
    assertThatThrownBy(
            () -> WireMapper.workflowKey(WorkflowRef.newBuilder().setVersion("1").build()))
        .hasMessageContaining("workflow.name is missing");
    assertThatThrownBy(() -> WireMapper.workflowKey(WorkflowRef.newBuilder().setName("w").build()))
        .hasMessageContaining("workflow.version is missing");
  }

  @Test
  void edgeEventsRoundTripAsCloudEvents() throws Exception {
    EdgeEvent e = new EdgeEvent("i1/a/1/edge/0", "i1", KEY, 0, "a", "b", json("{\"n\":1}"));
    var ce = WireMapper.cloudEvent(e, "w1");
    assertThat(ce.getType()).isEqualTo("sluice.edge.resolved");
    assertThat(ce.getSource()).isEqualTo("sluice://worker/w1");
    assertThat(ce.getId()).isEqualTo(e.id());
    assertThat(ce.getAttributesMap().get("subject").getCeString()).isEqualTo("i1/b");
    assertThat(ce.getAttributesMap().get("edge").getCeInteger()).isZero();
    assertThat(ce.getTextData()).isEqualTo("{\"n\":1}");
    assertThat(WireMapper.edgeEvent(ce)).isEqualTo(e);
  }

  @Test
  void edgeEventsCarryTheCriticalPathThroughTheirSource() throws Exception {
    EdgeEvent e =
        new EdgeEvent("i1/a/1/edge/0", "i1", KEY, 0, "a", "b", json("1"), 5_000_000_000L, 42);
    var ce = WireMapper.cloudEvent(e, "w1");
    assertThat(ce.getAttributesMap().get("pathcompute").getCeString()).isEqualTo("5000000000");
    assertThat(WireMapper.edgeEvent(ce)).isEqualTo(e);
    var bad =
        ce.toBuilder()
            .putAttributes(
                "pathdata",
                io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue.newBuilder()
                    .setCeString("soon")
                    .build())
            .build();
    assertThatThrownBy(() -> WireMapper.edgeEvent(bad))
        .hasMessageContaining("edge event i1/a/1/edge/0")
        .hasMessageContaining("'pathdata' must be a non-negative integer");
  }

  @Test
  void skippedEdgesCarryNoData() {
    EdgeEvent e = new EdgeEvent("x/s/1/edge/4", "x/with/slash", KEY, 4, "s", "t", null);
    var ce = WireMapper.cloudEvent(e, "w2");
    assertThat(ce.getDataCase())
        .isEqualTo(io.cloudevents.v1.proto.CloudEvent.DataCase.DATA_NOT_SET);
    assertThat(ce.getAttributesMap().get("skipped").getCeBoolean()).isTrue();
    EdgeEvent back = WireMapper.edgeEvent(ce);
    assertThat(back).isEqualTo(e);
    assertThat(back.skipped()).isTrue();
  }

  @Test
  void malformedEdgeEventsNameWhatIsWrong() {
    var good =
        WireMapper.cloudEvent(
            new EdgeEvent("id1", "i", KEY, 1, "a", "b", NullNode.getInstance()), "w1");
    assertThatThrownBy(() -> WireMapper.edgeEvent(good.toBuilder().setId("").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edge event id is missing");
    assertThatThrownBy(() -> WireMapper.edgeEvent(good.toBuilder().setType("other").build()))
        .hasMessageContaining("type must be sluice.edge.resolved");
    assertThatThrownBy(
            () -> WireMapper.edgeEvent(good.toBuilder().removeAttributes("edge").build()))
        .hasMessageContaining("attribute 'edge'");
    assertThatThrownBy(
            () -> WireMapper.edgeEvent(good.toBuilder().removeAttributes("workflow").build()))
        .hasMessageContaining("attribute 'workflow' is missing");
    assertThatThrownBy(() -> WireMapper.edgeEvent(good.toBuilder().setTextData("{nope").build()))
        .hasMessageContaining("text_data is not valid JSON");
    assertThatThrownBy(() -> WireMapper.edgeEvent(good.toBuilder().clearTextData().build()))
        .hasMessageContaining("text_data (the payload JSON) is missing");
    assertThatThrownBy(
            () ->
                WireMapper.edgeEvent(
                    good.toBuilder()
                        .putAttributes("subject", CloudEventCodec.text("i/zz"))
                        .build()))
        .hasMessageContaining("subject must be '<instance>/b'");
  }

  @Test
  void externalCloudEventsRoundTrip() throws Exception {
    CloudEvent e =
        CloudEventBuilder.v1()
            .withId("ev-1")
            .withSource(URI.create("/orders"))
            .withType("order.paid")
            .withSubject("order-7")
            .withTime(OffsetDateTime.parse("2024-05-01T10:00:00.123Z"))
            .withDataContentType("application/json")
            .withExtension("sluiceinstance", "i9")
            .withExtension("count", 3)
            .withExtension("urgent", true)
            .withData("{\"total\":12}".getBytes(StandardCharsets.UTF_8))
            .build();
    var proto = WireMapper.cloudEvent(e);
    assertThat(proto.getTextData()).isEqualTo("{\"total\":12}");
    CloudEvent back = WireMapper.cloudEvent(proto, "event");
    assertThat(back.getId()).isEqualTo("ev-1");
    assertThat(back.getSource()).isEqualTo(URI.create("/orders"));
    assertThat(back.getSubject()).isEqualTo("order-7");
    assertThat(back.getTime().toInstant()).isEqualTo(e.getTime().toInstant());
    assertThat(back.getExtension("sluiceinstance")).isEqualTo("i9");
    assertThat(back.getExtension("count")).isEqualTo(3);
    assertThat(back.getExtension("urgent")).isEqualTo(true);
    assertThat(json(new String(back.getData().toBytes(), StandardCharsets.UTF_8)))
        .isEqualTo(json("{\"total\":12}"));
  }

  @Test
  void malformedExternalEventsNameTheField() {
    var ok =
        io.cloudevents.v1.proto.CloudEvent.newBuilder()
            .setId("e")
            .setSource("/s")
            .setType("t")
            .setSpecVersion("1.0")
            .build();
    assertThat(WireMapper.cloudEvent(ok, "event").getId()).isEqualTo("e");
    assertThatThrownBy(() -> WireMapper.cloudEvent(ok.toBuilder().setId("").build(), "event"))
        .hasMessageContaining("event.id is missing");
    assertThatThrownBy(() -> WireMapper.cloudEvent(ok.toBuilder().setSource("").build(), "event"))
        .hasMessageContaining("event.source is missing");
    assertThatThrownBy(() -> WireMapper.cloudEvent(ok.toBuilder().setType("").build(), "event"))
        .hasMessageContaining("event.type is missing");
    assertThatThrownBy(
            () -> WireMapper.cloudEvent(ok.toBuilder().setSpecVersion("0.3").build(), "event"))
        .hasMessageContaining("event.spec_version must be 1.0");
    assertThatThrownBy(
            () ->
                WireMapper.cloudEvent(
                    ok.toBuilder().putAttributes("Bad-Name!", CloudEventCodec.text("x")).build(),
                    "event"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event.attributes[Bad-Name!]");
  }

  @Test
  void errorsRoundTrip() {
    InstanceError e = new InstanceError("n3", "FunctionFailed", "boom");
    ErrorInfo info = WireMapper.errorInfo(e, "w2");
    assertThat(info.getWorkerId()).isEqualTo("w2");
    assertThat(WireMapper.instanceError(info)).isEqualTo(e);
    assertThat(
            WireMapper.instanceError(
                WireMapper.errorInfo(new InstanceError(null, "T", null), null)))
        .isEqualTo(new InstanceError(null, "T", ""));
    assertThatThrownBy(() -> WireMapper.instanceError(ErrorInfo.getDefaultInstance()))
        .hasMessageContaining("error.type is missing");
  }

  @Test
  void functionFailuresRoundTripWithTypeAndRetryability() {
    ErrorInfo info =
        WireMapper.errorInfo(
            new java.util.concurrent.CompletionException(
                new FunctionException("Timeout", "too slow", true)),
            "n",
            "w1");
    assertThat(info.getType()).isEqualTo("Timeout");
    assertThat(info.getRetryable()).isTrue();
    FunctionException back = WireMapper.functionException(info);
    assertThat(back.type()).isEqualTo("Timeout");
    assertThat(back.retryable()).isTrue();
    assertThat(back.getMessage()).contains("too slow").contains("w1");
    assertThat(WireMapper.errorInfo(new IllegalStateException("x"), "n", "w").getType())
        .isEqualTo(FunctionException.FUNCTION_FAILED);
  }

  @Test
  void statesMapBothWaysAndUnknownOnesAreRejected() {
    for (InstanceState s : InstanceState.values()) {
      assertThat(WireMapper.state(WireMapper.state(s), "state")).isEqualTo(s);
    }
    assertThat(WireMapper.state(InstanceState.COMPLETED))
        .isEqualTo(io.sluice.proto.InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThatThrownBy(
            () ->
                WireMapper.state(
                    io.sluice.proto.InstanceState.INSTANCE_STATE_UNSPECIFIED, "status.state"))
        .hasMessageContaining("status.state must be");
  }

  @Test
  void partResultsRoundTrip() throws Exception {
    Map<String, JsonNode> sinks = new LinkedHashMap<>();
    sinks.put("end", json("{\"v\":4}"));
    sinks.put("other", NullNode.getInstance());
    PartResult ok =
        new PartResult(
            "i1",
            "w3",
            InstanceState.COMPLETED,
            sinks,
            null,
            5,
            4,
            1,
            2,
            10,
            20,
            30,
            7_000,
            8,
            false);
    InstanceFinishedRequest wire = WireMapper.instanceFinished(ok);
    assertThat(wire.getStatus().getState())
        .isEqualTo(io.sluice.proto.InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(WireMapper.partResult(wire)).isEqualTo(ok);
    PartResult failed =
        new PartResult(
            "i2",
            "w1",
            InstanceState.FAILED,
            Map.of(),
            new InstanceError("a", "X", "m"),
            1,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            true);
    assertThat(WireMapper.partResult(WireMapper.instanceFinished(failed))).isEqualTo(failed);
  }

  @Test
  void malformedPartResultsNameTheField() {
    PartResult ok =
        new PartResult(
            "i1", "w3", InstanceState.COMPLETED, Map.of(), null, 0, 0, 0, 0, 0, 0, 0, 0, 0, true);
    InstanceFinishedRequest wire = WireMapper.instanceFinished(ok);
    assertThatThrownBy(() -> WireMapper.partResult(wire.toBuilder().clearInstanceId().build()))
        .hasMessageContaining("instance_id is missing");
    assertThatThrownBy(() -> WireMapper.partResult(wire.toBuilder().clearWorkerId().build()))
        .hasMessageContaining("worker_id is missing");
    assertThatThrownBy(() -> WireMapper.partResult(wire.toBuilder().clearStatus().build()))
        .hasMessageContaining("status is missing");
    var running =
        wire.toBuilder()
            .setStatus(
                wire.getStatus().toBuilder()
                    .setState(io.sluice.proto.InstanceState.INSTANCE_STATE_RUNNING))
            .build();
    assertThatThrownBy(() -> WireMapper.partResult(running))
        .hasMessageContaining("status.state of a finished part");
    var badSink =
        wire.toBuilder().putSinkOutputs("end", Payload.newBuilder().setJson("[").build()).build();
    assertThatThrownBy(() -> WireMapper.partResult(badSink))
        .hasMessageContaining("sink_outputs[end].json is not valid JSON");
  }

  @Test
  void instanceStatusCarriesStateOutputErrorAndTimes() throws Exception {
    InstanceStatus s =
        new InstanceStatus(
            "i1",
            "chain",
            InstanceState.COMPLETED,
            json("5"),
            null,
            3,
            3,
            0,
            3,
            1_700_000_000_123L,
            2_000_000,
            9,
            1_500_000,
            250_000);
    var p = WireMapper.instanceStatus(s, KEY);
    assertThat(p.getInstanceId()).isEqualTo("i1");
    assertThat(WireMapper.workflowKey(p.getWorkflow())).isEqualTo(KEY);
    assertThat(WireMapper.state(p.getState(), "state")).isEqualTo(InstanceState.COMPLETED);
    assertThat(WireMapper.json(p.getOutput(), "output")).isEqualTo(json("5"));
    assertThat(WireMapper.epochMillis(p.getStarted())).isEqualTo(1_700_000_000_123L);
    assertThat(WireMapper.duration(p.getElapsed())).isEqualTo(Duration.ofMillis(2));
    assertThat(WireMapper.duration(p.getCriticalPathCompute()))
        .isEqualTo(Duration.ofNanos(1_500_000));
    assertThat(WireMapper.duration(p.getCriticalPathData())).isEqualTo(Duration.ofNanos(250_000));
    InstanceStatus failed =
        new InstanceStatus(
            "i2",
            "chain",
            InstanceState.FAILED,
            null,
            new InstanceError("b", "T", "m"),
            3,
            1,
            0,
            1,
            0,
            0,
            2,
            0,
            0);
    var f = WireMapper.instanceStatus(failed, KEY);
    assertThat(f.hasOutput()).isFalse();
    assertThat(WireMapper.instanceError(f.getError())).isEqualTo(failed.error());
  }

  @Test
  void bindingsCarryOptionsAndTheParsedRegistry() {
    RunOptions o =
        RunOptions.newBuilder().setTimeScale(0.5).setDataScale(2).setSynthetic(true).build();
    String registry = "functions:\n  hello:\n    runtime: synthetic\n";
    Binding b = WireMapper.binding(o, "reg.yaml", registry);
    assertThat(b.synthetic()).isTrue();
    assertThat(b.timeScale()).isEqualTo(0.5);
    assertThat(b.dataScale()).isEqualTo(2);
    assertThat(b.registry()).containsKey("hello");
    assertThat(WireMapper.runOptions(b)).isEqualTo(o);
    assertThat(WireMapper.binding(WireMapper.runOptions(Binding.defaults()), "", ""))
        .isEqualTo(Binding.defaults());
    assertThatThrownBy(() -> WireMapper.binding(o.toBuilder().setTimeScale(-1).build(), "", ""))
        .hasMessageContaining("options.time_scale");
    assertThatThrownBy(() -> WireMapper.binding(o, "reg.yaml", "nothing: here\n"))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("reg.yaml");
  }

  @Test
  void placementsAndPeersMapBothWays() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("a", "w1");
    m.put("b", "w2");
    NodePlacement p =
        NodePlacement.newBuilder().addAllAssignments(WireMapper.assignments(m)).build();
    assertThat(WireMapper.placement(p)).containsExactlyEntriesOf(m);
    NodePlacement twice =
        p.toBuilder()
            .addAssignments(NodeAssignment.newBuilder().setNodeId("a").setWorkerId("w3"))
            .build();
    assertThatThrownBy(() -> WireMapper.placement(twice)).hasMessageContaining("node 'a' twice");
    NodePlacement blank =
        NodePlacement.newBuilder()
            .addAssignments(NodeAssignment.newBuilder().setNodeId("a"))
            .build();
    assertThatThrownBy(() -> WireMapper.placement(blank))
        .hasMessageContaining("node_id and worker_id are required");
    assertThat(
            WireMapper.peers(
                List.of(PeerAddress.newBuilder().setWorkerId("w1").setAddress("h:1").build())))
        .containsExactly(Map.entry("w1", "h:1"));
    assertThatThrownBy(
            () -> WireMapper.peers(List.of(PeerAddress.newBuilder().setWorkerId("w1").build())))
        .hasMessageContaining("peers: worker_id and address are required");
  }

  @Test
  void timesRoundTrip() {
    assertThat(WireMapper.duration(WireMapper.duration(Duration.ofMillis(1500))))
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(WireMapper.epochMillis(WireMapper.timestamp(-1))).isEqualTo(-1);
  }
}
