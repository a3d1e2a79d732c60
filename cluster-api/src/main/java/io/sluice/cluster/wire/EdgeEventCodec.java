package io.sluice.cluster.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.v1.proto.CloudEvent;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.EventTypes;
import io.sluice.cluster.api.WorkflowKey;

/**
 * An {@link EdgeEvent} as a CloudEvent of type {@value EventTypes#EDGE_RESOLVED}: id = the edge
 * event's id, source {@code sluice://worker/<sender>}, subject {@code <instance>/<to>}, extension
 * attributes workflow, version, edge, from, to, skipped, pathcompute and pathdata (the critical
 * path through the source, decimal nanoseconds, absent when zero); data = the payload's JSON as
 * text, absent when the edge was skipped.
 */
final class EdgeEventCodec {
  static final String SOURCE_PREFIX = "sluice://worker/";
  private static final String JSON = "application/json";
  static final String PATH_COMPUTE = "pathcompute";
  static final String PATH_DATA = "pathdata";

  private EdgeEventCodec() {}

  static CloudEvent encode(EdgeEvent e, String senderWorkerId, String payloadText) {
    CloudEvent.Builder b =
        CloudEvent.newBuilder()
            .setId(e.id())
            .setSource(SOURCE_PREFIX + senderWorkerId)
            .setSpecVersion(CloudEventCodec.SPEC_VERSION)
            .setType(EventTypes.EDGE_RESOLVED)
            .putAttributes("subject", CloudEventCodec.text(e.instanceId() + "/" + e.to()))
            .putAttributes("workflow", CloudEventCodec.text(e.workflow().name()))
            .putAttributes("version", CloudEventCodec.text(e.workflow().version()))
            .putAttributes(
                "edge", CloudEventAttributeValue.newBuilder().setCeInteger(e.edge()).build())
            .putAttributes("from", CloudEventCodec.text(e.from()))
            .putAttributes("to", CloudEventCodec.text(e.to()))
            .putAttributes(
                "skipped", CloudEventAttributeValue.newBuilder().setCeBoolean(e.skipped()).build());
    if (e.pathComputeNanos() != 0) {
      b.putAttributes(PATH_COMPUTE, CloudEventCodec.text(Long.toString(e.pathComputeNanos())));
    }
    if (e.pathDataNanos() != 0) {
      b.putAttributes(PATH_DATA, CloudEventCodec.text(Long.toString(e.pathDataNanos())));
    }
    if (!e.skipped()) {
      b.putAttributes("datacontenttype", CloudEventCodec.text(JSON));
      b.setTextData(payloadText);
    }
    return b.build();
  }

  static EdgeEvent decode(CloudEvent ce, WireMapper.JsonMemo memo) {
    String id = ce.getId();
    if (id.isEmpty()) {
      throw new IllegalArgumentException("edge event id is missing");
    }
    String at = "edge event " + id + ": ";
    if (!EventTypes.EDGE_RESOLVED.equals(ce.getType())) {
      throw new IllegalArgumentException(
          at + "type must be " + EventTypes.EDGE_RESOLVED + ", got '" + ce.getType() + "'");
    }
    String to = text(ce, "to", at);
    String subject = text(ce, "subject", at);
    String suffix = "/" + to;
    if (!subject.endsWith(suffix) || subject.length() == suffix.length()) {
      throw new IllegalArgumentException(
          at + "subject must be '<instance>/" + to + "', got '" + subject + "'");
    }
    String instance = subject.substring(0, subject.length() - suffix.length());
    WorkflowKey key = new WorkflowKey(text(ce, "workflow", at), text(ce, "version", at));
    CloudEventAttributeValue edge = ce.getAttributesMap().get("edge");
    if (edge == null || !edge.hasCeInteger()) {
      throw new IllegalArgumentException(at + "attribute 'edge' (an integer) is missing");
    }
    CloudEventAttributeValue skipped = ce.getAttributesMap().get("skipped");
    boolean skip = skipped != null && skipped.hasCeBoolean() && skipped.getCeBoolean();
    JsonNode payload = null;
    if (!skip) {
      if (ce.getDataCase() != CloudEvent.DataCase.TEXT_DATA) {
        throw new IllegalArgumentException(
            at + "text_data (the payload JSON) is missing on an edge that was not skipped");
      }
      payload =
          memo == null
              ? WireMapper.parseJson(ce.getTextData(), at + "text_data")
              : memo.parse(instance, ce.getTextData(), at + "text_data");
    }
    return new EdgeEvent(
        id,
        instance,
        key,
        edge.getCeInteger(),
        text(ce, "from", at),
        to,
        payload,
        nanos(ce, PATH_COMPUTE, at),
        nanos(ce, PATH_DATA, at));
  }

  private static long nanos(CloudEvent ce, String name, String at) {
    CloudEventAttributeValue v = ce.getAttributesMap().get(name);
    if (v == null) {
      return 0;
    }
    String s = CloudEventCodec.string(v, at + "attribute '" + name + "'");
    try {
      long n = Long.parseLong(s);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          at
              + "attribute '"
              + name
              + "' must be a non-negative integer (nanoseconds), got '"
              + s
              + "'");
    }
  }

  private static String text(CloudEvent ce, String name, String at) {
    CloudEventAttributeValue v = ce.getAttributesMap().get(name);
    String s = v == null ? "" : CloudEventCodec.string(v, at + "attribute '" + name + "'");
    if (s.isEmpty()) {
      throw new IllegalArgumentException(at + "attribute '" + name + "' is missing");
    }
    return s;
  }
}
