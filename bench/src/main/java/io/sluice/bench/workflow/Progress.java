package io.sluice.bench.workflow;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The progress line on stderr: configuration k/n (with its workflow and values), instances
 * done/total, failures and the current median latency. On a terminal one line is rewritten in place
 * (carriage return) twice a second; otherwise (a log file, CI) a plain line is printed every {@code
 * PLAIN_PERIOD} seconds and when a configuration ends.
 */
final class Progress implements AutoCloseable {
  private static final long TTY_PERIOD_MS = 500;
  private static final long PLAIN_PERIOD_MS = 10_000;

  private final PrintWriter err;
  private final boolean tty;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
          });
  private ScheduledFuture<?> ticking;
  private String what = "";
  private int done;
  private int failed;
  private int total;
  private long startNanos;
  private final List<Double> latencies = new ArrayList<>();
  private int lastWidth;

  Progress(PrintWriter err, boolean tty) {
    this.err = err;
    this.tty = tty;
  }

  /** A configuration starts; {@code total} < 0 when it runs for a duration instead. */
  synchronized void start(String what, int total) {
    this.what = what;
    this.total = total;
    this.done = 0;
    this.failed = 0;
    this.latencies.clear();
    this.startNanos = System.nanoTime();
    long period = tty ? TTY_PERIOD_MS : PLAIN_PERIOD_MS;
    ticking = timer.scheduleAtFixedRate(this::print, period, period, TimeUnit.MILLISECONDS);
    if (!tty) {
      err.println(what + ": started");
      err.flush();
    }
  }

  /** A phase that is not measured (starting a cluster, warm-up) — one line. */
  synchronized void note(String text) {
    clearLine();
    err.println(text);
    err.flush();
  }

  synchronized void record(Sample s) {
    done++;
    if (!s.ok()) {
      failed++;
    } else {
      latencies.add(s.latencyNanos() / 1e6);
    }
  }

  /** The configuration ended: stop ticking and print its last state on a line of its own. */
  synchronized void finish() {
    if (ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
    String line = line();
    if (tty) {
      err.print("\r" + pad(line) + "\n");
      lastWidth = 0;
    } else {
      err.println(line);
    }
    err.flush();
  }

  private synchronized void print() {
    String line = line();
    if (tty) {
      err.print("\r" + pad(line));
      lastWidth = line.length();
    } else {
      err.println(line);
    }
    err.flush();
  }

  private String line() {
    double p50 = Stats.median(latencies.stream().mapToDouble(Double::doubleValue).toArray());
    double secs = (System.nanoTime() - startNanos) / 1e9;
    return String.format(
        Locale.ROOT,
        "%s: %d/%s done, %d failed, p50 %s ms, %.0f s",
        what,
        done,
        total < 0 ? "?" : Integer.toString(total),
        failed,
        Double.isNaN(p50) ? "-" : Format.ms(p50),
        secs);
  }

  private String pad(String line) {
    return line.length() >= lastWidth ? line : line + " ".repeat(lastWidth - line.length());
  }

  private void clearLine() {
    if (tty && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      lastWidth = 0;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
