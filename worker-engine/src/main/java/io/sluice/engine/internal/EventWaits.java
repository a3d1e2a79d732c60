package io.sluice.engine.internal;

import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * An instance's external events and the event waits that take them: which waits are active, the
 * events held because no active wait accepts them yet (offered again to each wait that activates),
 * and the ids already seen (a redelivered event is dropped). Confined to the instance's thread;
 * created on first use.
 */
final class EventWaits {
  private final List<Integer> active = new ArrayList<>(2);
  private final List<CloudEvent> held = new ArrayList<>(2);
  private final Set<String> seen = new HashSet<>();
  private final int maxHeld;

  EventWaits(int maxHeld) {
    this.maxHeld = maxHeld;
  }

  /** False if an event with this id was delivered before. */
  boolean firstDelivery(CloudEvent ev) {
    return seen.add(ev.getId());
  }

  /**
   * A wait activates: returns a held event it accepts (removed from the held ones; the wait is then
   * done), or null after registering the wait as active.
   */
  CloudEvent activate(int node, BiPredicate<Integer, CloudEvent> accepts) {
    for (Iterator<CloudEvent> it = held.iterator(); it.hasNext(); ) {
      CloudEvent ev = it.next();
      if (accepts.test(node, ev)) {
        it.remove();
        return ev;
      }
    }
    active.add(node);
    return null;
  }

  /** The first active wait that accepts the event (no longer active), or -1. */
  int take(CloudEvent ev, BiPredicate<Integer, CloudEvent> accepts) {
    for (int i = 0; i < active.size(); i++) {
      int node = active.get(i);
      if (accepts.test(node, ev)) {
        active.remove(i);
        return node;
      }
    }
    return -1;
  }

  /** A wait ended without an event (it failed or timed out). */
  void deactivate(int node) {
    active.remove(Integer.valueOf(node));
  }

  /** Holds an event no wait accepts yet; false (not held) when {@code maxHeld} are held. */
  boolean hold(CloudEvent ev) {
    if (held.size() >= maxHeld) {
      return false;
    }
    held.add(ev);
    return true;
  }

  int heldCount() {
    return held.size();
  }
}
