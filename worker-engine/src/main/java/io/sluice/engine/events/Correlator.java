package io.sluice.engine.events;

import io.cloudevents.CloudEvent;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The event waits of one router, indexed so an event that names no instance finds its waits with a
 * few map lookups: per event type, keyed waits by attribute and value (the event's subject, or each
 * extension some wait of the type is keyed on), plus the waits without a key, which are all
 * candidates for their type (each {@link Wait#accepts} then decides, e.g. with its jq). An event
 * that matches no wait is held (per {@link EventHolding}: only types {@code holdable}, at most
 * {@code maxPerType} per type, for {@code ttl}); a wait that starts takes the first held event it
 * matches. Everything about one event type happens under that type's lock, so an event and a wait
 * that arrive together never miss each other; types do not contend. Expired held events go to their
 * {@code onExpired} callback outside the lock.
 *
 * @param <W> what a wait is to this router (an instance's wait in an engine; a worker's wait on the
 *     master)
 */
public final class Correlator<W extends Correlator.Wait> {

  /** One started event wait. */
  public interface Wait {
    String waitId();

    /** The top-level instance it belongs to. */
    String instanceId();

    WaitKey key();

    /** Whether an event of its type, and key if it has one, is for it (its jq correlation). */
    default boolean accepts(CloudEvent event) {
      return true;
    }
  }

  /**
   * What {@link #route} found: the waits the event is for, else whether it is held now and, if not,
   * why.
   */
  public record Match<W>(List<W> waits, boolean held, String detail) {}

  /**
   * A held event: when it arrived first and who hears of it if its hold time ends.
   *
   * @param onExpired may be null
   */
  public record Held(CloudEvent event, long arrivedMillis, Consumer<CloudEvent> onExpired) {}

  private final class TypeState {
    /** attribute -> value -> waits by id. */
    final Map<String, Map<String, Map<String, W>>> keyed = new HashMap<>();

    final Map<String, W> unkeyed = new LinkedHashMap<>();
    final ArrayDeque<Held> held = new ArrayDeque<>();
  }

  private final Map<String, TypeState> types = new ConcurrentHashMap<>();
  private final Map<String, W> waits = new ConcurrentHashMap<>();
  private final EventHolding holding;
  private final Scheduler scheduler;
  private final Predicate<String> holdable;
  private final AtomicBoolean sweepScheduled = new AtomicBoolean();
  private final AtomicLong heldNow = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final AtomicLong overflowed = new AtomicLong();

  /**
   * @param holdable the event types some deployed workflow waits for (only those are held)
   */
  public Correlator(EventHolding holding, Scheduler scheduler, Predicate<String> holdable) {
    this.holding = holding;
    this.scheduler = scheduler;
    this.holdable = holdable;
  }

  public EventHolding holding() {
    return holding;
  }

  /**
   * Indexes a wait that started; returns the held event it takes (no longer held), or null. The
   * wait stays indexed either way: a caller that consumes the returned event removes it.
   */
  public Held add(W wait) {
    TypeState s = types.computeIfAbsent(wait.key().eventType(), t -> new TypeState());
    List<Held> gone = new ArrayList<>(0);
    Held taken = null;
    synchronized (s) {
      expire(s, scheduler.currentTimeMillis(), gone);
      for (Iterator<Held> it = s.held.iterator(); it.hasNext(); ) {
        Held h = it.next();
        if (wait.key().matches(h.event) && wait.accepts(h.event)) {
          it.remove();
          heldNow.decrementAndGet();
          taken = h;
          break;
        }
      }
      W before = waits.put(wait.waitId(), wait);
      if (before != null) {
        unindex(s, before);
      }
      if (wait.key().keyed()) {
        s.keyed
            .computeIfAbsent(wait.key().attribute(), a -> new HashMap<>())
            .computeIfAbsent(wait.key().value(), v -> new LinkedHashMap<>())
            .put(wait.waitId(), wait);
      } else {
        s.unkeyed.put(wait.waitId(), wait);
      }
    }
    notifyExpired(gone);
    return taken;
  }

  /** Forgets a wait that ended; false if it was not indexed. */
  public boolean remove(String waitId) {
    W w = waits.get(waitId);
    if (w == null) {
      return false;
    }
    TypeState s = types.get(w.key().eventType());
    synchronized (s) {
      if (!waits.remove(waitId, w)) {
        return false;
      }
      unindex(s, w);
    }
    return true;
  }

  /** Forgets every wait of an instance that ended; returns how many there were. */
  public int removeInstance(String instanceId) {
    return removeAll(w -> w.instanceId().equals(instanceId));
  }

  /** Forgets every wait that {@code which} selects (e.g. those of a lost worker). */
  public int removeAll(Predicate<W> which) {
    int n = 0;
    for (W w : List.copyOf(waits.values())) {
      if (which.test(w) && remove(w.waitId())) {
        n++;
      }
    }
    return n;
  }

  private void unindex(TypeState s, W w) {
    WaitKey k = w.key();
    if (!k.keyed()) {
      s.unkeyed.remove(w.waitId());
      return;
    }
    Map<String, Map<String, W>> byValue = s.keyed.get(k.attribute());
    Map<String, W> ws = byValue == null ? null : byValue.get(k.value());
    if (ws != null) {
      ws.remove(w.waitId());
      if (ws.isEmpty()) {
        byValue.remove(k.value());
        if (byValue.isEmpty()) {
          s.keyed.remove(k.attribute());
        }
      }
    }
  }

  /**
   * The waits an event that names no instance is for; when there are none it is held if it may be
   * ({@code onExpired}, if not null, hears of it when its hold time ends unmatched).
   */
  public Match<W> route(CloudEvent event, Consumer<CloudEvent> onExpired) {
    return route(event, scheduler.currentTimeMillis(), onExpired, Set.of());
  }

  /**
   * Routes again an event whose candidates in {@code tried} all turned it down (their waits had
   * ended by the time it reached them): returns the waits not tried yet, else holds it with its
   * first arrival time, so its hold time does not start over.
   */
  public Match<W> reroute(
      CloudEvent event, long arrivedMillis, Consumer<CloudEvent> onExpired, Set<String> tried) {
    return route(event, arrivedMillis, onExpired, tried);
  }

  private Match<W> route(
      CloudEvent event, long arrivedMillis, Consumer<CloudEvent> onExpired, Set<String> tried) {
    String type = event.getType();
    TypeState s = types.get(type);
    if (s == null) {
      if (holding.maxPerType() == 0 || !holdable.test(type)) {
        return new Match<>(List.of(), false, noWait(type));
      }
      s = types.computeIfAbsent(type, t -> new TypeState());
    }
    List<Held> gone = new ArrayList<>(0);
    Match<W> m;
    synchronized (s) {
      long now = scheduler.currentTimeMillis();
      expire(s, now, gone);
      List<W> found = candidates(s, event, tried);
      m =
          found.isEmpty()
              ? hold(s, event, arrivedMillis, onExpired)
              : new Match<>(found, false, "");
    }
    notifyExpired(gone);
    return m;
  }

  private List<W> candidates(TypeState s, CloudEvent event, Set<String> tried) {
    List<W> out = new ArrayList<>(1);
    for (Map.Entry<String, Map<String, Map<String, W>>> byAttr : s.keyed.entrySet()) {
      String v = WaitKey.valueOf(event, byAttr.getKey());
      Map<String, W> ws = v == null ? null : byAttr.getValue().get(v);
      if (ws != null) {
        for (W w : ws.values()) {
          if (!tried.contains(w.waitId()) && w.accepts(event)) {
            out.add(w);
          }
        }
      }
    }
    for (W w : s.unkeyed.values()) {
      if (!tried.contains(w.waitId()) && w.accepts(event)) {
        out.add(w);
      }
    }
    return out;
  }

  private Match<W> hold(
      TypeState s, CloudEvent event, long arrivedMillis, Consumer<CloudEvent> onExpired) {
    String type = event.getType();
    if (holding.maxPerType() == 0 || !holdable.test(type)) {
      return new Match<>(List.of(), false, noWait(type));
    }
    if (s.held.size() >= holding.maxPerType()) {
      overflowed.incrementAndGet();
      return new Match<>(
          List.of(),
          false,
          "no instance waits for it and "
              + s.held.size()
              + " events of type "
              + type
              + " are held already (the most a type may hold)");
    }
    s.held.addLast(new Held(event, arrivedMillis, onExpired));
    heldNow.incrementAndGet();
    scheduleSweep(holding.ttl());
    return new Match<>(
        List.of(),
        true,
        "no instance waits for it yet; held for "
            + io.sluice.model.format.Durations.format(holding.ttl())
            + " for a wait that matches");
  }

  private String noWait(String type) {
    return holdable.test(type)
        ? "no instance waits for an event of type " + type + " that matches it"
        : "no deployed workflow waits for events of type " + type;
  }

  private void expire(TypeState s, long now, List<Held> gone) {
    long ttl = holding.ttl().toMillis();
    while (!s.held.isEmpty() && now - s.held.peekFirst().arrivedMillis >= ttl) {
      gone.add(s.held.pollFirst());
      heldNow.decrementAndGet();
    }
  }

  private void notifyExpired(List<Held> gone) {
    for (Held h : gone) {
      expired.incrementAndGet();
      if (h.onExpired != null) {
        try {
          h.onExpired.accept(h.event);
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(Correlator.class)
              .warn("expired event {}: its callback failed", h.event.getId(), e);
        }
      }
    }
  }

  /** Ends the hold of every event held longer than the hold time; returns how many. */
  public int sweep() {
    List<Held> gone = new ArrayList<>(0);
    long now = scheduler.currentTimeMillis();
    for (TypeState s : types.values()) {
      synchronized (s) {
        expire(s, now, gone);
      }
    }
    notifyExpired(gone);
    return gone.size();
  }

  private void scheduleSweep(Duration after) {
    if (sweepScheduled.compareAndSet(false, true)) {
      scheduler.schedule(
          after,
          () -> {
            sweepScheduled.set(false);
            sweep();
            if (heldNow.get() > 0) {
              Duration quarter = holding.ttl().dividedBy(4);
              scheduleSweep(quarter.toMillis() < 50 ? Duration.ofMillis(50) : quarter);
            }
          });
    }
  }

  /** Events held now, over all types. */
  public long heldCount() {
    return heldNow.get();
  }

  /** Events whose hold time ended without a matching wait, since this router started. */
  public long expiredCount() {
    return expired.get();
  }

  /** Events not held because their type held the most it may. */
  public long overflowCount() {
    return overflowed.get();
  }

  /** Waits indexed now. */
  public int waitCount() {
    return waits.size();
  }

  /** An indexed wait by id, or null. */
  public W wait(String waitId) {
    return waits.get(waitId);
  }
}
