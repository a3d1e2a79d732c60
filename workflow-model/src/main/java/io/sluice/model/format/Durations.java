package io.sluice.model.format;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in definitions: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code
 * 2h}, {@code 1d}, {@code 10us}, {@code 5ns}, or ISO-8601 ({@code PT2S}).
 */
public final class Durations {
  private static final Pattern SHORT =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private static final java.math.BigDecimal MAX_NANOS =
      java.math.BigDecimal.valueOf(Long.MAX_VALUE);

  private Durations() {}

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException(
        "bad duration '"
            + text
            + "': longer than the longest one Sluice keeps, 106751d (292 years)");
  }

  /** Parses a duration, or throws {@link IllegalArgumentException} saying what is accepted. */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      java.math.BigDecimal amount = new java.math.BigDecimal(m.group(1));
      long unitNanos =
          switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
          };
      java.math.BigDecimal nanos = amount.multiply(java.math.BigDecimal.valueOf(unitNanos));
      if (nanos.compareTo(MAX_NANOS) > 0) {
        throw tooLong(text);
      }
      if (nanos.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException(
            "bad duration '" + text + "': finer than a nanosecond, the smallest unit");
      }
      return Duration.ofNanos(nanos.longValueExact());
    }
    try {
      Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
      if (d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
        throw tooLong(text);
      }
      return d;
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "bad duration '" + text + "': write e.g. 250ms, 2s, 1.5s, 1m, 2h or ISO-8601 like PT2S");
    }
  }

  /** Formats a duration so that {@link #parse} gives it back exactly, as short as it can. */
  public static String format(Duration d) {
    long nanos;
    try {
      nanos = d.toNanos();
    } catch (ArithmeticException e) {
      return d.toString();
    }
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 0) {
      return d.toString();
    }
    long[] units = {
      86_400_000_000_000L,
      3_600_000_000_000L,
      60_000_000_000L,
      1_000_000_000L,
      1_000_000L,
      1_000L,
      1L
    };
    String[] names = {"d", "h", "m", "s", "ms", "us", "ns"};
    for (int i = 0; i < units.length; i++) {
      if (nanos % units[i] == 0) {
        return (nanos / units[i]) + names[i];
      }
    }
    return nanos + "ns";
  }
}
