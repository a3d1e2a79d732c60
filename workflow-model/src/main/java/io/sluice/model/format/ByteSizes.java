package io.sluice.model.format;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one size rule of every file, flag and key Sluice reads (definitions, cluster configs, CLI
 * options, FaaStore settings), the Kubernetes quantity rule: a number of bytes, or a number with a
 * unit where {@code KB/MB/GB/TB} are powers of 1000 and {@code KiB/MiB/GiB/TiB} powers of 1024
 * ({@code 64KB} = 64,000 bytes, {@code 64KiB} = 65,536). Units are case-insensitive; a trailing
 * {@code B} is optional ({@code 64K}, {@code 1Mi}).
 */
public final class ByteSizes {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?b?)", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  /**
   * Parses a size; KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024; a bare number is
   * bytes.
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "bad size '" + text + "': write a number of bytes or e.g. 512KB, 256MB, 1GiB");
    }
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    boolean binary = unit.contains("I");
    int power = unit.isEmpty() || unit.equals("B") ? 0 : "KMGT".indexOf(unit.charAt(0)) + 1;
    if (binary && power == 0) {
      throw new IllegalArgumentException("bad size '" + text + "': unknown unit");
    }
    java.math.BigDecimal factor = java.math.BigDecimal.valueOf(binary ? 1024 : 1000).pow(power);
    try {
      return new java.math.BigDecimal(m.group(1)).multiply(factor).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "bad size '" + text + "': not a whole number of bytes or too large");
    }
  }

  /**
   * The shortest exact form of a size in the same rule: 65536 → {@code 64KiB}, 64000 → {@code
   * 64KB}, 1500 → {@code 1500B}.
   */
  public static String format(long bytes) {
    String best = bytes + "B";
    String[] units = {"K", "M", "G", "T"};
    for (int binary = 0; binary < 2; binary++) {
      long base = binary == 1 ? 1024 : 1000;
      long n = bytes;
      int u = 0;
      while (u < units.length && n != 0 && n % base == 0) {
        n /= base;
        u++;
      }
      String text = u == 0 ? bytes + "B" : n + units[u - 1] + (binary == 1 ? "iB" : "B");
      if (text.length() < best.length()) {
        best = text;
      }
    }
    return best;
  }

  /**
   * The sum of two sizes (each 0 or more), at most {@link Long#MAX_VALUE}: a trace may claim sizes
   * whose sum overflows a long, which reads as the largest size, not a negative one.
   */
  public static long plus(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}
