package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Several shapes under one name ({@code aws}, {@code auto}): the first that matches reads it. */
final class ShapeGroup implements PlatformShape {
  private final String name;
  private final String description;
  private final List<PlatformShape> members;

  ShapeGroup(String name, String description, List<PlatformShape> members) {
    this.name = name;
    this.description = description;
    this.members = List.copyOf(members);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  List<PlatformShape> members() {
    return members;
  }

  @Override
  public boolean matches(JsonNode body, Map<String, String> headers) {
    return members.stream().anyMatch(s -> s.matches(body, headers));
  }

  @Override
  public PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    for (PlatformShape s : members) {
      if (s.matches(body, headers)) {
        return s.read(body, headers);
      }
    }
    throw new PlatformShapeException(
        "not a recognised platform event ("
            + Records.describe(body)
            + "); recognised shapes"
            + (name.equals(PlatformEvents.AUTO) ? "" : " for '" + name + "'")
            + ": "
            + members.stream()
                .map(s -> s.name() + " (" + s.description() + ")")
                .collect(Collectors.joining("; ")));
  }
}
