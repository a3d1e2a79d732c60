package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowSchedule;
import io.sluice.model.format.SourceDocument;
import io.sluice.time.Cron;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a workflow's {@code schedule} (DSL reference, "Schedule") into a {@link WorkflowSchedule}:
 * one of {@code every}, {@code cron}, {@code after} (durations as the DSL writes them) or {@code
 * on} (an event consumption strategy whose filters match literal attribute values, as {@code
 * listen}'s do). Every problem is reported at its line naming the key.
 */
final class SwSchedule {
  private static final List<String> KINDS = List.of("every", "cron", "after", "on");

  private SwSchedule() {}

  /** The schedule, or null (with problems added) when it cannot be read. */
  static WorkflowSchedule read(SourceDocument doc, JsonNode root, List<Problem> problems) {
    JsonNode s = root.get("schedule");
    if (s == null) {
      return null;
    }
    List<String> given = new ArrayList<>();
    s.fieldNames().forEachRemaining(given::add);
    if (!s.isObject() || given.size() != 1 || !KINDS.contains(given.get(0))) {
      problems.add(
          problem(
              doc,
              root,
              "schedule",
              "schedule needs exactly one of every, cron, after or on (got " + given + ")"));
      return null;
    }
    String kind = given.get(0);
    JsonNode v = s.get(kind);
    try {
      return switch (kind) {
        case "every" -> WorkflowSchedule.every(duration(v, "schedule.every"));
        case "after" -> WorkflowSchedule.after(duration(v, "schedule.after"));
        case "cron" -> {
          if (!v.isTextual()) {
            throw new IllegalArgumentException("schedule.cron: expected a cron expression string");
          }
          yield WorkflowSchedule.cron(Cron.parse(v.asText()));
        }
        default -> on(v);
      };
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      problems.add(
          problem(doc, s, kind, m.startsWith("schedule") ? m : "schedule." + kind + ": " + m));
      return null;
    }
  }

  private static Problem problem(SourceDocument doc, JsonNode obj, String key, String message) {
    return new Problem(doc.locate(obj, key), null, message);
  }

  private static Duration duration(JsonNode v, String what) {
    Duration d;
    if (v.isTextual() && !SwExpr.isExpr(v)) {
      try {
        d = Duration.parse(v.asText().strip());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(what + ": bad ISO 8601 duration '" + v.asText() + "'");
      }
    } else if (v.isObject()) {
      d =
          Duration.ofDays(v.path("days").asLong())
              .plusHours(v.path("hours").asLong())
              .plusMinutes(v.path("minutes").asLong())
              .plusSeconds(v.path("seconds").asLong())
              .plusMillis(v.path("milliseconds").asLong());
    } else {
      throw new IllegalArgumentException(
          what
              + ": expected an ISO 8601 duration or {days, hours, minutes, seconds, milliseconds}");
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + ": the duration must be positive");
    }
    return d;
  }

  private static WorkflowSchedule on(JsonNode to) {
    String strategy = to.has("one") ? "one" : to.has("any") ? "any" : to.has("all") ? "all" : null;
    if (strategy == null) {
      throw new IllegalArgumentException("schedule.on: needs one, any or all");
    }
    if (to.has("until")) {
      throw new IllegalArgumentException("schedule.on: until is not supported");
    }
    List<JsonNode> raw = new ArrayList<>();
    if (strategy.equals("one")) {
      raw.add(to.get("one"));
    } else if (to.get(strategy).isArray()) {
      to.get(strategy).forEach(raw::add);
    }
    if (raw.isEmpty()) {
      throw new IllegalArgumentException(
          "schedule.on: "
              + strategy
              + " needs a non-empty list of filters (an empty any, every event, is not supported)");
    }
    List<WorkflowSchedule.Filter> filters = new ArrayList<>();
    for (JsonNode f : raw) {
      JsonNode with = f.path("with");
      if (!with.path("type").isTextual()) {
        throw new IllegalArgumentException(
            "schedule.on: every filter needs with.type, a literal string");
      }
      if (f.has("correlate")) {
        throw new IllegalArgumentException(
            "schedule.on: filter correlate is not supported (match attributes in with)");
      }
      Map<String, JsonNode> attrs = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : with.properties()) {
        if (SwExpr.dynamic(e.getValue())) {
          throw new IllegalArgumentException(
              "schedule.on: runtime expressions in event filters are not supported");
        }
        if (!e.getKey().equals("type")) {
          attrs.put(e.getKey(), e.getValue());
        }
      }
      filters.add(new WorkflowSchedule.Filter(with.get("type").asText(), attrs));
    }
    return WorkflowSchedule.on(strategy, filters);
  }
}
