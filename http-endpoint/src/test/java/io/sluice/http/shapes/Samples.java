package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The documentation-shaped payloads in src/test/resources/platform-events (see its README). */
public final class Samples {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** The headers SNS sends with the sample notification (SNS documentation, same page). */
  public static final Map<String, String> SNS_HEADERS =
      Map.of(
          "x-amz-sns-message-type", "Notification",
          "x-amz-sns-message-id", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
          "x-amz-sns-topic-arn", "arn:aws:sns:us-west-2:123456789012:MyTopic",
          "x-amz-sns-subscription-arn",
              "arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96",
          "Content-Type", "text/plain; charset=UTF-8");

  private Samples() {}

  public static String text(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/platform-events/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample platform-events/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String name) {
    try {
      return JSON.readTree(text(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
