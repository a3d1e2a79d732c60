package io.sluice.cluster.grpc;

import io.grpc.Status;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps a client's oversized message out of the server's log as a stack trace. gRPC refuses a
 * message over the server's inbound limit from its 5-byte header (the client gets
 * RESOURCE_EXHAUSTED "gRPC message exceeds maximum size LIMIT: SIZE") but also logs, for each one,
 * "Exception processing message" at WARNING with a 25-line stack trace: a client's mistake written
 * up as the server's fault, and a log any client can grow by 3 KB per call. This filter, on the
 * logger of gRPC's Netty server stream, turns such a record into one line naming the status; other
 * records of that logger pass unchanged.
 */
final class DeframeLogFilter implements Filter {
  /** The logger gRPC's (shaded) Netty server stream writes deframing failures to. */
  static final String LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";

  // JUL holds loggers weakly: this reference keeps the filter's logger (and so the filter) alive
  private static final Logger LOG = Logger.getLogger(LOGGER);

  static {
    LOG.setFilter(new DeframeLogFilter(LOG.getFilter()));
  }

  private final Filter next;

  private DeframeLogFilter(Filter next) {
    this.next = next;
  }

  /** Installs the filter (once per JVM; later calls do nothing). */
  static void install() {
    // the static initializer did it
  }

  @Override
  public boolean isLoggable(LogRecord r) {
    Status s = r.getThrown() == null ? null : Status.fromThrowable(r.getThrown());
    if (s != null && s.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      r.setThrown(null);
      r.setMessage(
          "refused a client's message: RESOURCE_EXHAUSTED: "
              + s.getDescription()
              + " (the client was told so)");
    }
    return next == null || next.isLoggable(r);
  }
}
