package io.sluice.master.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a stream entry becomes a CloudEvent, and what makes one malformed. */
class EntryDecoderTest {
  private static StreamEntry entry(String... kv) {
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      f.put(kv[i], kv[i + 1]);
    }
    return new StreamEntry("orders", "1700000000000-0", f);
  }

  @Test
  void aCloudEventEntryCarriesTheStructuredEvent() throws Exception {
    CloudEvent e =
        EntryDecoder.of("cloudevent", null)
            .decode(
                entry(
                    "event",
                    "{\"specversion\":\"1.0\",\"id\":\"o-1\",\"type\":\"order.paid\","
                        + "\"source\":\"/shop\",\"subject\":\"A-1\",\"orderid\":\"7\","
                        + "\"datacontenttype\":\"application/json\",\"data\":{\"amount\":12}}",
                    "ignored",
                    "x"));
    assertThat(e.getId()).isEqualTo("o-1");
    assertThat(e.getSubject()).isEqualTo("A-1");
    assertThat(e.getExtension("orderid")).isEqualTo("7");
    assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"amount\":12}");
  }

  @Test
  void aDataEntryMapsFieldsToAttributesAndExtensions() throws Exception {
    CloudEvent e =
        EntryDecoder.of("data", "order.placed")
            .decode(
                entry(
                    "subject",
                    "A-1",
                    "region",
                    "eu",
                    "data",
                    "{\"amount\":3}",
                    "time",
                    "2024-05-01T10:00:00Z"));
    assertThat(e.getType()).isEqualTo("order.placed");
    assertThat(e.getId()).isEqualTo("orders/1700000000000-0"); // stable across redeliveries
    assertThat(e.getSource().toString()).isEqualTo("redis-stream:orders");
    assertThat(e.getSubject()).isEqualTo("A-1");
    assertThat(e.getExtension("region")).isEqualTo("eu");
    assertThat(e.getDataContentType()).isEqualTo("application/json");
    assertThat(e.getTime().getYear()).isEqualTo(2024);

    CloudEvent text = EntryDecoder.of("data", null).decode(entry("type", "t", "data", "hello"));
    assertThat(text.getDataContentType()).isEqualTo("text/plain");
    assertThat(text.getType()).isEqualTo("t");
  }

  @Test
  void malformedEntriesSayWhatIsWrong() {
    EntryDecoder ce = EntryDecoder.of("cloudevent", null);
    assertThatThrownBy(() -> ce.decode(entry("event", "[1]")))
        .isInstanceOf(MalformedEntryException.class)
        .hasMessage("field 'event' must be a CloudEvent JSON object, got ARRAY");
    assertThatThrownBy(
            () ->
                ce.decode(
                    entry(
                        "event",
                        "{\"specversion\":\"0.1\",\"id\":\"i\",\"type\":\"t\",\"source\":\"/s\"}")))
        .hasMessageStartingWith("invalid CloudEvent: ");
    EntryDecoder data = EntryDecoder.of("data", null);
    assertThatThrownBy(() -> data.decode(entry("data", "{}")))
        .hasMessage("no field 'type' and the source has no eventType; the entry has [data]");
    assertThatThrownBy(() -> data.decode(entry("type", "t", "Order-Id", "1")))
        .hasMessageContaining(
            "field 'Order-Id' is neither a CloudEvent attribute nor an extension");
    assertThatThrownBy(() -> data.decode(entry("type", "t", "time", "yesterday")))
        .hasMessage("field 'time' is not RFC 3339: yesterday");
  }
}
