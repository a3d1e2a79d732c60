package io.sluice.engine.internal;

import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * An instance's external events and the event waits that take them: which waits are active (with
 * the correlation key each computed and its entry in the engine's index), the events held because
 * no active wait accepts them yet (offered again to each wait that activates), and the ids already
 * seen (a redelivered event is dropped). Confined to the instance's thread; created on first use.
 */
final class EventWaits {
  private final List<Integer> active = new ArrayList<>(2);
  private final List<CloudEvent> held = new ArrayList<>(2);
  private final Set<String> seen = new HashSet<>();
  private final Map<Integer, String> keys = new HashMap<>(2);
  private final Map<Integer, LocalWait> indexed = new HashMap<>(2);
  private final int maxHeld;

  EventWaits(int maxHeld) {
    this.maxHeld = maxHeld;
  }

  /** False if an event with this id was delivered before. */
  boolean firstDelivery(CloudEvent ev) {
    return seen.add(ev.getId());
  }

  /** The correlation key value node {@code node}'s running wait computed, or null. */
  String key(int node) {
    return keys.get(node);
  }

  void key(int node, String value) {
    if (value == null) {
      keys.remove(node);
    } else {
      keys.put(node, value);
    }
  }

  /** The wait's entry in the engine's index, to remove when the wait ends. */
  void indexed(int node, LocalWait w) {
    indexed.put(node, w);
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

  /**
   * The first active wait that accepts the event (no longer active), or -1. The caller ends its
   * index entry ({@link #release}).
   */
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

  /** A wait ended without an event (it failed or timed out); returns its index entry or null. */
  LocalWait deactivate(int node) {
    active.remove(Integer.valueOf(node));
    return release(node);
  }

  /** Forgets a wait's key and index entry; returns the entry (to remove from the index) or null. */
  LocalWait release(int node) {
    keys.remove(node);
    return indexed.remove(node);
  }

  /** Every index entry, forgotten: the instance ended. */
  List<LocalWait> releaseAll() {
    List<LocalWait> out = new ArrayList<>(indexed.values());
    indexed.clear();
    keys.clear();
    active.clear();
    return out;
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
