package io.sluice.engine;

import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Logs a line about one instance (and node) with {@code instance} and {@code node} in the MDC, so
 * that a structured log (docs/configuration.md, Logs) carries them as fields. The MDC is set only
 * around the line itself and only when its level is enabled: the engine's hot path never pays for
 * MDC updates, only the lines that are written do.
 */
public final class InstanceLog {
  /** The MDC key of the instance id. */
  public static final String INSTANCE = "instance";

  /** The MDC key of the node id. */
  public static final String NODE = "node";

  private InstanceLog() {}

  public static void debug(
      Logger log, String instanceId, String nodeId, String format, Object... args) {
    if (log.isDebugEnabled()) {
      write(log, Level.DEBUG, instanceId, nodeId, format, args);
    }
  }

  public static void info(
      Logger log, String instanceId, String nodeId, String format, Object... args) {
    if (log.isInfoEnabled()) {
      write(log, Level.INFO, instanceId, nodeId, format, args);
    }
  }

  public static void warn(
      Logger log, String instanceId, String nodeId, String format, Object... args) {
    if (log.isWarnEnabled()) {
      write(log, Level.WARN, instanceId, nodeId, format, args);
    }
  }

  public static void error(
      Logger log, String instanceId, String nodeId, String format, Object... args) {
    if (log.isErrorEnabled()) {
      write(log, Level.ERROR, instanceId, nodeId, format, args);
    }
  }

  private static void write(
      Logger log, Level level, String instanceId, String nodeId, String format, Object[] args) {
    String hadInstance = MDC.get(INSTANCE);
    String hadNode = MDC.get(NODE);
    put(INSTANCE, instanceId);
    put(NODE, nodeId);
    try {
      // the classic calls: a Throwable as the last argument is the line's exception
      switch (level) {
        case ERROR -> log.error(format, args);
        case WARN -> log.warn(format, args);
        case INFO -> log.info(format, args);
        default -> log.debug(format, args);
      }
    } finally {
      put(INSTANCE, hadInstance);
      put(NODE, hadNode);
    }
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
