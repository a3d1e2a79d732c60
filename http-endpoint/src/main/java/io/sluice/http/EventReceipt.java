package io.sluice.http;

import java.util.List;
import java.util.Objects;

/**
 * What the event sink did with one event of {@code POST /events}, for its reply: the instances that
 * took it ({@code matched} is their number), or that it is held for a wait that starts later, or
 * that it is a duplicate of an event routed before; otherwise it matched nothing and {@code detail}
 * says why (404).
 */
public record EventReceipt(List<String> instances, boolean held, boolean duplicate, String detail) {
  public EventReceipt {
    instances = List.copyOf(instances);
    Objects.requireNonNull(detail, "detail");
  }

  /** Taken by {@code instances}. */
  public static EventReceipt matched(List<String> instances) {
    return new EventReceipt(instances, false, false, "delivered");
  }

  /** Matched nothing, for the reason given. */
  public static EventReceipt unmatched(String detail) {
    return new EventReceipt(List.of(), false, false, detail);
  }

  public boolean accepted() {
    return !instances.isEmpty() || held || duplicate;
  }

  /**
   * The reply's {@code result} and the metric's {@code outcome}: {@code accepted}, {@code held},
   * {@code duplicate} (all 202) or {@code unmatched} (404).
   */
  public String result() {
    if (duplicate) {
      return "duplicate";
    }
    if (!instances.isEmpty()) {
      return "accepted";
    }
    return held ? "held" : "unmatched";
  }
}
