package io.sluice.engine.events;

/**
 * Hears an engine's event waits start and end, in order per wait. Called on the instance's thread:
 * it must not block (queue and send).
 */
@FunctionalInterface
public interface EventWaitListener {
  void changed(EventWaitChange change);
}
