package io.sluice.worker;

import io.cloudevents.v1.proto.CloudEvent;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import io.sluice.runtime.trace.Tracing;

/**
 * An instance's trace context on edge events, as the CloudEvents distributed-tracing extension
 * ({@code traceparent}): a worker that did not learn it from the instance's StartInstance (a part
 * taken over from a dead worker, an entry evicted from {@link Tracing}'s bounded map) learns it
 * from the next edge event it receives. Off, neither method touches the event.
 */
final class PeerTraces {
  private PeerTraces() {}

  /** {@code ce} with the instance's {@code traceparent}, when tracing is on and it is known. */
  static CloudEvent tag(CloudEvent ce, String instanceId) {
    String traceparent = Tracing.traceparentOf(instanceId);
    if (traceparent == null) {
      return ce;
    }
    return ce.toBuilder()
        .putAttributes(
            Tracing.TRACEPARENT,
            CloudEventAttributeValue.newBuilder().setCeString(traceparent).build())
        .build();
  }

  /** Records the trace context a received edge event carries, if any. */
  static void joined(CloudEvent ce, String instanceId) {
    if (!Tracing.enabled()) {
      return;
    }
    CloudEventAttributeValue v = ce.getAttributesMap().get(Tracing.TRACEPARENT);
    if (v != null) {
      Tracing.joined(instanceId, v.getCeString());
    }
  }
}
