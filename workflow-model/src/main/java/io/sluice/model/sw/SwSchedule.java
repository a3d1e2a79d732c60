package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Problem;
import io.sluice.model.ScheduleReader;
import io.sluice.model.WorkflowSchedule;
import io.sluice.model.format.SourceDocument;
import java.time.Duration;
import java.util.List;

/**
 * Reads a workflow's {@code schedule} (DSL reference, "Schedule") with {@link ScheduleReader},
 * durations as the DSL writes them (ISO 8601 or {@code {days, hours, minutes, seconds,
 * milliseconds}}); a mistake is a problem at the line of the key it is about.
 */
final class SwSchedule {
  private SwSchedule() {}

  /** The schedule, or null (with a problem added) when there is none or it cannot be read. */
  static WorkflowSchedule read(SourceDocument doc, JsonNode root, List<Problem> problems) {
    JsonNode s = root.get("schedule");
    if (s == null) {
      return null;
    }
    try {
      return ScheduleReader.read(s, SwSchedule::duration, SwExpr::dynamic);
    } catch (IllegalArgumentException e) {
      String key = ScheduleReader.kindKey(s);
      problems.add(
          new Problem(
              key == null ? doc.locate(root, "schedule") : doc.locate(s, key),
              null,
              e.getMessage()));
      return null;
    }
  }

  private static Duration duration(JsonNode v) {
    if (v.isTextual() && !SwExpr.isExpr(v)) {
      try {
        return Duration.parse(v.asText().strip());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("bad ISO 8601 duration '" + v.asText() + "'");
      }
    }
    if (v.isObject()) {
      return Duration.ofDays(v.path("days").asLong())
          .plusHours(v.path("hours").asLong())
          .plusMinutes(v.path("minutes").asLong())
          .plusSeconds(v.path("seconds").asLong())
          .plusMillis(v.path("milliseconds").asLong());
    }
    throw new IllegalArgumentException(
        "expected an ISO 8601 duration or {days, hours, minutes, seconds, milliseconds}");
  }
}
