package io.sluice.engine.events;

import java.util.Objects;

/**
 * An event wait started ({@code active}) or ended: what an engine tells the router that routes
 * events naming no instance (the master, in a cluster) so it can find the wait by its {@link
 * WaitKey} instead of asking every worker about every event.
 *
 * @param active true when the wait starts, false when it ends (took an event, timed out, failed, or
 *     its instance ended)
 * @param waitId unique per wait and attempt: {@code <engine instance>/<node>/<attempt>}
 * @param instanceId the top-level instance the wait belongs to (a wait inside a map item or a
 *     sub-workflow reports its root), which routers report and clean up by
 * @param key the event type and correlation key
 */
public record EventWaitChange(boolean active, String waitId, String instanceId, WaitKey key) {
  public EventWaitChange {
    Objects.requireNonNull(waitId, "waitId");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(key, "key");
  }
}
