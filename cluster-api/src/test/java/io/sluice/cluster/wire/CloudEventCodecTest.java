package io.sluice.cluster.wire;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.cloudevents.v1.proto.CloudEvent;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import org.junit.jupiter.api.Test;

/** Decoding CloudEvents from the wire: inputs found by the wire fuzzer. */
class CloudEventCodecTest {
  private static CloudEvent withTime(long seconds) {
    return CloudEvent.newBuilder()
        .setId("e1")
        .setType("t")
        .setSource("s")
        .setSpecVersion("1.0")
        .putAttributes(
            "time",
            CloudEventAttributeValue.newBuilder()
                .setCeTimestamp(Timestamp.newBuilder().setSeconds(seconds))
                .build())
        .build();
  }

  /** Was a DateTimeException, which the servers answered with INTERNAL. */
  @Test
  void aTimestampOutOfRangeIsABadArgumentNamingTheAttribute() {
    assertThatThrownBy(() -> CloudEventCodec.fromProto(withTime(Long.MAX_VALUE), "event"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event.attributes[time] is out of range: " + Long.MAX_VALUE);
    assertThatThrownBy(() -> CloudEventCodec.fromProto(withTime(Long.MIN_VALUE), "event"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }
}
