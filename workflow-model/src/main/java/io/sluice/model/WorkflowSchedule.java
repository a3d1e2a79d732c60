package io.sluice.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When a cluster's master starts instances of a registered workflow by itself (the Serverless
 * Workflow DSL's {@code schedule}; docs/architecture.md, "Schedules"). Exactly one of the four
 * kinds: {@code every} an interval, {@code cron} a cron expression, {@code after} a delay after the
 * previous scheduled instance ended, {@code on} the arrival of events. Workflow-level metadata of
 * the graph: the engine ignores it, the master arms it.
 *
 * @param kind which of the four
 * @param interval the interval ({@code every}) or the delay ({@code after}); null otherwise
 * @param cron the parsed expression ({@code cron}); null otherwise
 * @param strategy {@code one}, {@code any} or {@code all} ({@code on}); null otherwise
 * @param events the event filters ({@code on}); empty otherwise
 */
public record WorkflowSchedule(
    Kind kind, Duration interval, io.sluice.time.Cron cron, String strategy, List<Filter> events) {

  /** The four kinds of the DSL. */
  public enum Kind {
    EVERY,
    CRON,
    AFTER,
    ON;

    /** The DSL's name: every, cron, after, on. */
    public String dslName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * An event filter of {@code schedule.on}: the event's type, and attributes it must carry with
   * exactly these values ({@code id}, {@code source}, {@code subject}, {@code time}, {@code data},
   * or an extension), as a {@code listen} filter's {@code with}.
   */
  public record Filter(String type, Map<String, JsonNode> with) {
    public Filter {
      Objects.requireNonNull(type, "event type");
      with = with == null ? Map.of() : Map.copyOf(with);
    }
  }

  public WorkflowSchedule {
    Objects.requireNonNull(kind, "schedule kind");
    events = events == null ? List.of() : List.copyOf(events);
    switch (kind) {
      case EVERY, AFTER -> {
        if (interval == null || interval.isZero() || interval.isNegative()) {
          throw new IllegalArgumentException(kind.dslName() + " needs a positive duration");
        }
      }
      case CRON -> Objects.requireNonNull(cron, "cron expression");
      case ON -> {
        if (events.isEmpty() || !List.of("one", "any", "all").contains(strategy)) {
          throw new IllegalArgumentException("on needs one, any or all with at least one filter");
        }
      }
    }
  }

  public static WorkflowSchedule every(Duration d) {
    return new WorkflowSchedule(Kind.EVERY, d, null, null, List.of());
  }

  public static WorkflowSchedule after(Duration d) {
    return new WorkflowSchedule(Kind.AFTER, d, null, null, List.of());
  }

  public static WorkflowSchedule cron(io.sluice.time.Cron c) {
    return new WorkflowSchedule(Kind.CRON, null, c, null, List.of());
  }

  public static WorkflowSchedule on(String strategy, List<Filter> filters) {
    return new WorkflowSchedule(Kind.ON, null, null, strategy, filters);
  }

  /** One line for people: {@code every PT1H}, {@code cron 0 * * * *}, {@code on all [a, b]}. */
  public String describe() {
    return switch (kind) {
      case EVERY, AFTER -> kind.dslName() + " " + interval;
      case CRON -> "cron " + cron.expression();
      case ON ->
          "on "
              + strategy
              + " "
              + events.stream().map(Filter::type).toList().toString().replace(" ", "");
    };
  }
}
