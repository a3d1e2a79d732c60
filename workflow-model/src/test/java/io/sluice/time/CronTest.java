package io.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cron grammar, the search for the next time, and the one-line errors naming the field. */
class CronTest {

  /** The next {@code n} times after {@code from}, as ISO instants. */
  private static List<String> next(String expr, String from, int n) {
    Cron c = Cron.parse(expr);
    List<String> out = new ArrayList<>();
    Instant t = Instant.parse(from);
    for (int i = 0; i < n; i++) {
      t = c.next(t).orElseThrow();
      out.add(t.toString());
    }
    return out;
  }

  @Test
  void fiveFieldsStartOnTheMinuteAndStepsCountFromTheRangeStart() {
    assertThat(next("*/20 * * * *", "2026-01-01T10:05:30Z", 3))
        .containsExactly("2026-01-01T10:20:00Z", "2026-01-01T10:40:00Z", "2026-01-01T11:00:00Z");
    assertThat(next("10-40/15 9 * * *", "2026-01-01T00:00:00Z", 4))
        .containsExactly(
            "2026-01-01T09:10:00Z",
            "2026-01-01T09:25:00Z",
            "2026-01-01T09:40:00Z",
            "2026-01-02T09:10:00Z");
    assertThat(next("5/30 0 * * *", "2026-01-01T00:00:00Z", 2))
        .containsExactly("2026-01-01T00:05:00Z", "2026-01-01T00:35:00Z");
  }

  @Test
  void sixFieldsHaveSecondsFirst() {
    assertThat(next("*/15 * * * * *", "2026-01-01T10:00:07Z", 2))
        .containsExactly("2026-01-01T10:00:15Z", "2026-01-01T10:00:30Z");
  }

  @Test
  void listsRangesAndNames() {
    assertThat(next("0 8,17 * * MON-FRI", "2026-01-02T12:00:00Z", 3)) // a Friday
        .containsExactly("2026-01-02T17:00:00Z", "2026-01-05T08:00:00Z", "2026-01-05T17:00:00Z");
    assertThat(next("0 0 1 jan,JUL *", "2026-02-01T00:00:00Z", 2))
        .containsExactly("2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z");
  }

  @Test
  void bothDayFieldsRestrictedMatchEitherOneStarredMatchesBoth() {
    // the 13th or any Friday
    assertThat(next("0 0 13 * 5", "2026-02-01T00:00:00Z", 4))
        .containsExactly(
            "2026-02-06T00:00:00Z",
            "2026-02-13T00:00:00Z", // a Friday and the 13th: once
            "2026-02-20T00:00:00Z",
            "2026-02-27T00:00:00Z");
    // a starred day-of-month (even a step) leaves day-of-week alone deciding... and both apply
    assertThat(next("0 0 */2 * 1", "2026-02-01T00:00:00Z", 2))
        .containsExactly("2026-02-09T00:00:00Z", "2026-02-23T00:00:00Z");
    assertThat(next("0 0 * * 0", "2026-02-02T00:00:00Z", 1))
        .containsExactly("2026-02-08T00:00:00Z");
    assertThat(next("0 0 * * 7", "2026-02-02T00:00:00Z", 1))
        .containsExactly("2026-02-08T00:00:00Z");
  }

  @Test
  void monthEndsAndLeapDays() {
    // the 31st skips the months that have none
    assertThat(next("0 0 31 * *", "2026-01-31T00:00:00Z", 3))
        .containsExactly("2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z");
    // Feb 29 fires in leap years only (2100 is not one)
    assertThat(next("0 12 29 2 *", "2026-01-01T00:00:00Z", 2))
        .containsExactly("2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z");
    assertThat(next("0 0 29 2 *", "2096-03-01T00:00:00Z", 1))
        .containsExactly("2104-02-29T00:00:00Z");
  }

  @Test
  void aZoneWithDaylightSavingFiresSkippedTimesLateAndRepeatedTimesOnce() {
    // Europe/Paris springs forward on 2026-03-29 at 02:00 (to 03:00) and falls back on 10-25
    assertThat(next("CRON_TZ=Europe/Paris 30 2 * * *", "2026-03-28T12:00:00Z", 2))
        .containsExactly("2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"); // 03:30 CEST, 02:30
    assertThat(next("TZ=Europe/Paris 30 2 * * *", "2026-10-24T12:00:00Z", 2))
        .containsExactly("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"); // 02:30 CEST once
    assertThat(Cron.parse("0 0 * * *").zone()).hasToString("Z");
  }

  @Test
  void invalidExpressionsNameTheFieldInOneLine() {
    assertThatThrownBy(() -> Cron.parse("0 0 * *"))
        .hasMessage(
            "cron '0 0 * *': expected 5 fields (minute hour day-of-month month day-of-week) or 6"
                + " (second first), got 4");
    assertThatThrownBy(() -> Cron.parse("60 * * * *"))
        .hasMessage("cron '60 * * * *': minute '60': 60 is out of range 0-59");
    assertThatThrownBy(() -> Cron.parse("0 0 * 13 *"))
        .hasMessage("cron '0 0 * 13 *': month '13': 13 is out of range 1-12");
    assertThatThrownBy(() -> Cron.parse("0 0 * * 8"))
        .hasMessage("cron '0 0 * * 8': day-of-week '8': 8 is out of range 0-7");
    assertThatThrownBy(() -> Cron.parse("0 20-10 * * *"))
        .hasMessage("cron '0 20-10 * * *': hour '20-10': the range runs backwards");
    assertThatThrownBy(() -> Cron.parse("*/0 * * * *"))
        .hasMessage("cron '*/0 * * * *': minute '*/0': the step must be at least 1");
    assertThatThrownBy(() -> Cron.parse("0 0 L * *"))
        .hasMessage(
            "cron '0 0 L * *': day-of-month 'L': 'L' is not a number (L, W and # are not"
                + " supported)");
    assertThatThrownBy(() -> Cron.parse("0 0 30 2 *"))
        .hasMessage("cron '0 0 30 2 *': day-of-month and month never meet (the day never exists)");
    assertThatThrownBy(() -> Cron.parse("TZ=Mars/Base 0 0 * * *"))
        .hasMessage("cron 'TZ=Mars/Base 0 0 * * *': unknown time zone 'Mars/Base'");
    assertThatThrownBy(() -> Cron.parse("? * * * *"))
        .hasMessage("cron '? * * * *': minute '?': only the day fields take ?");
  }
}
