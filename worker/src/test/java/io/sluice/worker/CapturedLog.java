package io.sluice.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * What the processes in this JVM log at WARN and above while it is open: the slf4j/logback log (the
 * worker's own classes, the HTTP endpoint, Netty) and java.util.logging (gRPC logs there). A test
 * that sends a process hostile input checks that a client's mistake left no stack trace and no
 * ERROR in it: a log any client can fill is a way to fill a disk.
 */
final class CapturedLog implements AutoCloseable {
  /** One line: level, logger, message, and the exception's class and message when it had one. */
  record Line(String level, String logger, String message, String thrown) {
    boolean hasStackTrace() {
      return thrown != null;
    }

    @Override
    public String toString() {
      return level + " " + logger + " - " + message + (thrown == null ? "" : " [" + thrown + "]");
    }
  }

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final Logger root;
  private final AppenderBase<ILoggingEvent> appender;
  private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
  private final Handler handler;

  private CapturedLog() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
              var t = e.getThrowableProxy();
              lines.add(
                  new Line(
                      e.getLevel().toString(),
                      e.getLoggerName(),
                      e.getFormattedMessage(),
                      t == null ? null : t.getClassName() + ": " + t.getMessage()));
            }
          }
        };
    appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    appender.start();
    root.addAppender(appender);
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
              Throwable t = r.getThrown();
              lines.add(
                  new Line(
                      r.getLevel().getName(),
                      r.getLoggerName(),
                      r.getMessage(),
                      t == null ? null : t.getClass().getName() + ": " + t.getMessage()));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    julRoot.addHandler(handler);
  }

  /** Starts capturing. */
  static CapturedLog start() {
    return new CapturedLog();
  }

  /** The lines captured so far. */
  List<Line> lines() {
    return new ArrayList<>(lines);
  }

  /** Lines with a stack trace, or at ERROR (SEVERE): what a client's mistake must never cause. */
  List<Line> alarms() {
    return lines.stream()
        .filter(l -> l.hasStackTrace() || l.level().equals("ERROR") || l.level().equals("SEVERE"))
        .toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    julRoot.removeHandler(handler);
  }
}
