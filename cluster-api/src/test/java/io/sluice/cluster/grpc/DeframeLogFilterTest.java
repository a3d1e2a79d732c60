package io.sluice.cluster.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * gRPC's log of a client's oversized message becomes one line; its other records pass as they are.
 */
class DeframeLogFilterTest {
  @Test
  void anOversizedMessageIsLoggedAsOneLineAndOtherFailuresKeepTheirStackTrace() {
    DeframeLogFilter.install();
    Logger grpc = Logger.getLogger(DeframeLogFilter.LOGGER);
    List<LogRecord> seen = new CopyOnWriteArrayList<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            seen.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    boolean parents = grpc.getUseParentHandlers();
    grpc.addHandler(h);
    grpc.setUseParentHandlers(false); // keep the test's output clean
    try {
      grpc.log(
          Level.WARNING,
          "Exception processing message",
          Status.RESOURCE_EXHAUSTED
              .withDescription("gRPC message exceeds maximum size 100: 101")
              .asRuntimeException());
      grpc.log(Level.WARNING, "Exception processing message", new IOException("disk on fire"));
    } finally {
      grpc.removeHandler(h);
      grpc.setUseParentHandlers(parents);
    }
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).getThrown()).isNull();
    assertThat(seen.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(seen.get(0).getMessage())
        .contains("RESOURCE_EXHAUSTED")
        .contains("exceeds maximum size 100: 101")
        .doesNotContain("\n");
    assertThat(seen.get(1).getThrown()).isInstanceOf(IOException.class);
  }
}
