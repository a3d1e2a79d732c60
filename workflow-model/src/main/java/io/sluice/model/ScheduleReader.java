package io.sluice.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.time.Cron;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads a {@code schedule} object, the Serverless Workflow DSL's shape, which the native format
 * takes too: exactly one of {@code every}, {@code cron}, {@code after} (durations as {@code
 * durations} reads them) or {@code on} (an event consumption strategy whose filters match literal
 * {@code with} values); writes it back. Every mistake is an {@link IllegalArgumentException} whose
 * one-line message starts with the key ({@code schedule.cron: ...}).
 */
public final class ScheduleReader {
  private static final List<String> KINDS = List.of("every", "cron", "after", "on");

  private ScheduleReader() {}

  /** The key of {@code schedule} the mistake is at ({@code every}, ...), or null for the object. */
  public static String kindKey(JsonNode s) {
    return s.isObject() && s.size() == 1 && KINDS.contains(s.fieldNames().next())
        ? s.fieldNames().next()
        : null;
  }

  /**
   * @param durations a duration as the format writes it; throws IllegalArgumentException
   * @param dynamic whether a value is a runtime expression (refused in filters)
   */
  public static WorkflowSchedule read(
      JsonNode s, Function<JsonNode, Duration> durations, Predicate<JsonNode> dynamic) {
    String kind = kindKey(s);
    if (kind == null) {
      List<String> given = new ArrayList<>();
      s.fieldNames().forEachRemaining(given::add);
      throw new IllegalArgumentException(
          "schedule needs exactly one of every, cron, after or on (got " + given + ")");
    }
    JsonNode v = s.get(kind);
    try {
      return switch (kind) {
        case "every" -> WorkflowSchedule.every(positive(durations.apply(v)));
        case "after" -> WorkflowSchedule.after(positive(durations.apply(v)));
        case "cron" -> {
          if (!v.isTextual()) {
            throw new IllegalArgumentException("expected a cron expression string");
          }
          yield WorkflowSchedule.cron(Cron.parse(v.asText()));
        }
        default -> on(v, dynamic);
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schedule." + kind + ": " + e.getMessage(), e);
    }
  }

  private static Duration positive(Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("the duration must be positive");
    }
    return d;
  }

  private static WorkflowSchedule on(JsonNode to, Predicate<JsonNode> dynamic) {
    String strategy = to.has("one") ? "one" : to.has("any") ? "any" : to.has("all") ? "all" : null;
    if (strategy == null) {
      throw new IllegalArgumentException("needs one, any or all");
    }
    if (to.has("until")) {
      throw new IllegalArgumentException("until is not supported");
    }
    List<JsonNode> raw = new ArrayList<>();
    if (strategy.equals("one")) {
      raw.add(to.get("one"));
    } else if (to.get(strategy).isArray()) {
      to.get(strategy).forEach(raw::add);
    }
    if (raw.isEmpty()) {
      throw new IllegalArgumentException(
          strategy
              + " needs a non-empty list of filters (an empty any, every event, is not supported)");
    }
    List<WorkflowSchedule.Filter> filters = new ArrayList<>();
    for (JsonNode f : raw) {
      JsonNode with = f.path("with");
      if (!with.path("type").isTextual()) {
        throw new IllegalArgumentException("every filter needs with.type, a literal string");
      }
      if (f.has("correlate")) {
        throw new IllegalArgumentException(
            "filter correlate is not supported (match attributes in with)");
      }
      Map<String, JsonNode> attrs = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : with.properties()) {
        if (dynamic.test(e.getValue())) {
          throw new IllegalArgumentException(
              "runtime expressions in event filters are not supported");
        }
        if (!e.getKey().equals("type")) {
          attrs.put(e.getKey(), e.getValue());
        }
      }
      filters.add(new WorkflowSchedule.Filter(with.get("type").asText(), attrs));
    }
    return WorkflowSchedule.on(strategy, filters);
  }

  /** The schedule as {@link #read} takes it, durations written by {@code durations}. */
  public static ObjectNode write(WorkflowSchedule s, Function<Duration, String> durations) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    switch (s.kind()) {
      case EVERY, AFTER -> o.put(s.kind().dslName(), durations.apply(s.interval()));
      case CRON -> o.put("cron", s.cron().expression());
      case ON -> {
        ObjectNode on = o.putObject("on");
        List<ObjectNode> filters = new ArrayList<>();
        for (WorkflowSchedule.Filter f : s.events()) {
          ObjectNode with = JsonNodeFactory.instance.objectNode().put("type", f.type());
          f.with().forEach((k, v) -> with.set(k, v.deepCopy()));
          filters.add(JsonNodeFactory.instance.objectNode().set("with", with));
        }
        if (s.strategy().equals("one")) {
          on.set("one", filters.get(0));
        } else {
          on.putArray(s.strategy()).addAll(filters);
        }
      }
    }
    return o;
  }
}
