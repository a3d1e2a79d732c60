package io.sluice.bench.workflow;

import java.util.Locale;

/** Number formatting for the harness's files: plain, locale-free, no needless decimals. */
final class Format {
  private Format() {}

  /** {@code 10}, {@code 2.5}, {@code 0.125}: up to 3 decimals, trailing zeros dropped. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** Milliseconds with 2 decimals (latencies): {@code 12.35}; empty for NaN. */
  static String ms(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
  }
}
