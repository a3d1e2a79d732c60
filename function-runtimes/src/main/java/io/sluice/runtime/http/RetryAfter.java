package io.sluice.runtime.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header (RFC 9110 10.2.3): a number of seconds, or an HTTP-date
 * ({@code Wed, 21 Oct 2015 07:28:00 GMT}) taken relative to {@code now}. The wait is capped at
 * {@code max} (the function's {@code maxRetryAfter}), so a server cannot park a node for a day.
 */
final class RetryAfter {
  private RetryAfter() {}

  /** The wait the header asks for, capped at {@code max}; zero when absent or unreadable. */
  static Duration parse(String header, Instant now, Duration max) {
    if (header == null || header.isBlank()) {
      return Duration.ZERO;
    }
    String h = header.strip();
    Duration wait;
    if (h.chars().allMatch(Character::isDigit)) {
      try {
        wait = Duration.ofSeconds(Long.parseLong(h));
      } catch (NumberFormatException | ArithmeticException tooLong) {
        wait = max;
      }
    } else {
      try {
        Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(now, at);
      } catch (DateTimeParseException e) {
        return Duration.ZERO;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
