package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the event payloads the big platforms send (AWS S3 notifications, SNS, SQS, EventBridge;
 * Google Pub/Sub push; Azure Event Grid in both its schemas) into CloudEvents 1.0, so that any
 * event source (the HTTP endpoint's {@code /events}, a stream consumer) can accept them.
 * docs/events.md lists the shapes, how each is recognised and its attribute mapping.
 *
 * <p>A shape is chosen by name ({@link #shape(String)}: one of {@link #names()}) or by content
 * ({@link #read(JsonNode, Map)}, trying the shapes in a fixed order: those a header identifies
 * first). Headers may be empty; names are matched case-insensitively.
 */
public final class PlatformEvents {
  /** The name that recognises every shape by content. */
  public static final String AUTO = "auto";

  /** The name that recognises the AWS shapes by content. */
  public static final String AWS = "aws";

  private static final PlatformShape S3 = new S3Shape();
  private static final PlatformShape SNS = new SnsShape();
  private static final PlatformShape SQS = new SqsShape();
  private static final PlatformShape EVENTBRIDGE = new EventBridgeShape();
  private static final PlatformShape PUBSUB = new PubSubShape();
  private static final PlatformShape EVENTGRID = new EventGridShape();

  /** Detection order: shapes a header identifies (SNS, Event Grid) before content-only ones. */
  private static final List<PlatformShape> ALL =
      List.of(SNS, EVENTGRID, S3, SQS, EVENTBRIDGE, PUBSUB);

  private static final Map<String, PlatformShape> BY_NAME = byName();

  private PlatformEvents() {}

  private static Map<String, PlatformShape> byName() {
    Map<String, PlatformShape> m = new LinkedHashMap<>();
    m.put(
        AUTO,
        new ShapeGroup(AUTO, "any of the shapes below, recognised by headers and content", ALL));
    m.put(
        AWS,
        new ShapeGroup(
            AWS,
            "any AWS shape (aws-sns, aws-s3, aws-sqs, aws-eventbridge), recognised by content",
            List.of(SNS, S3, SQS, EVENTBRIDGE)));
    for (PlatformShape s : List.of(S3, SNS, SQS, EVENTBRIDGE, PUBSUB, EVENTGRID)) {
      m.put(s.name(), s);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every name {@link #shape(String)} accepts: {@code auto}, {@code aws}, then each shape. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The single shapes (not the groups), in the order docs/events.md lists them. */
  public static List<PlatformShape> shapes() {
    List<PlatformShape> out = new ArrayList<>();
    BY_NAME.values().stream().filter(s -> !(s instanceof ShapeGroup)).forEach(out::add);
    return out;
  }

  /**
   * The shape (or group) of this name.
   *
   * @throws IllegalArgumentException listing the recognised names when there is none
   */
  public static PlatformShape shape(String name) {
    PlatformShape s = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown event shape '" + name + "'; recognised shapes: " + String.join(", ", names()));
    }
    return s;
  }

  /** The first single shape that recognises the payload, if any. */
  public static Optional<PlatformShape> detect(JsonNode body, Map<String, String> headers) {
    Map<String, String> h = lower(headers);
    return ALL.stream().filter(s -> s.matches(body, h)).findFirst();
  }

  /**
   * Reads a payload of any recognised shape.
   *
   * @throws PlatformShapeException when no shape recognises it (the message lists them all) or the
   *     shape that does finds it invalid
   */
  public static PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    return read(AUTO, body, headers);
  }

  /** Reads a payload as the named shape (or group); see {@link #shape(String)}. */
  public static PlatformMessage read(String shape, JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    return shape(shape).read(body, lower(headers));
  }

  /**
   * The CloudEvents of a payload of any recognised shape.
   *
   * @throws PlatformShapeException as {@link #read(JsonNode, Map)}, and for a platform handshake
   *     (it carries no event)
   */
  public static List<CloudEvent> normalize(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    return normalize(AUTO, body, headers);
  }

  /** The CloudEvents of a payload of the named shape; see {@link #normalize(JsonNode, Map)}. */
  public static List<CloudEvent> normalize(String shape, JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    PlatformMessage m = read(shape, body, headers);
    if (m instanceof PlatformMessage.Handshake h) {
      throw new PlatformShapeException(
          h.shape() + ": a " + h.kind() + " is a handshake, not an event: " + h.note());
    }
    return ((PlatformMessage.Events) m).events();
  }

  private static Map<String, String> lower(Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
    return out;
  }
}
