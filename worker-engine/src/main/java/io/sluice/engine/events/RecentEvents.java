package io.sluice.engine.events;

import io.cloudevents.CloudEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcomes of the last {@code capacity} accepted events, by source and id (what identifies a
 * CloudEvent), so a redelivered event (a stream's at-least-once, a client's retry) is reported as a
 * duplicate instead of being routed, held or counted unmatched a second time. A delivery under way
 * counts too: two deliveries of one event at the same time route it once.
 */
public final class RecentEvents {
  private static final EventOutcome UNDER_WAY =
      new EventOutcome(List.of(), false, false, "being routed");

  private final int capacity;
  private final Map<String, EventOutcome> outcomes;

  public RecentEvents(int capacity) {
    this.capacity = capacity;
    this.outcomes =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, EventOutcome> eldest) {
            return size() > RecentEvents.this.capacity;
          }
        };
  }

  private static String key(CloudEvent e) {
    return e.getSource() + " " + e.getId();
  }

  /**
   * Starts routing an event: null when it is new (then {@link #finish} must follow), else the
   * outcome of its earlier delivery, as a duplicate.
   */
  public synchronized EventOutcome begin(CloudEvent e) {
    if (capacity == 0) {
      return null;
    }
    EventOutcome before = outcomes.putIfAbsent(key(e), UNDER_WAY);
    return before == null ? null : before.asDuplicate();
  }

  /**
   * Ends routing an event begun with {@link #begin}: an accepted outcome is remembered; an
   * unmatched one is forgotten, so a later attempt may match.
   */
  public synchronized void finish(CloudEvent e, EventOutcome outcome) {
    if (capacity == 0) {
      return;
    }
    if (outcome.accepted()) {
      outcomes.put(key(e), outcome);
    } else {
      outcomes.remove(key(e));
    }
  }
}
