package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One platform's event payload format (or a group of them) and how it maps to CloudEvents. Get one
 * with {@link PlatformEvents#shape(String)}; docs/events.md lists every shape and its mapping.
 *
 * <p>Headers are passed with lower-case names ({@link PlatformEvents} lower-cases them).
 */
public interface PlatformShape {
  /** The shape's name as used in {@code POST /events/NAME} and {@code ?shape=NAME}. */
  String name();

  /** One line saying what payloads it reads, for error messages and docs. */
  String description();

  /** Whether the payload looks like this shape (its distinguishing fields or headers). */
  boolean matches(JsonNode body, Map<String, String> headers);

  /**
   * Reads the payload.
   *
   * @throws PlatformShapeException naming the element and field when the payload is not a valid
   *     event of this shape
   */
  PlatformMessage read(JsonNode body, Map<String, String> headers) throws PlatformShapeException;
}
