package io.sluice.model.format;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in definitions: a number of bytes, or {@code 512KB}, {@code 256MB}, {@code
 * 1GiB}.
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
}
