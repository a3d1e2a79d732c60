package io.sluice.time;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression (docs/importers.md, "schedule"): five fields {@code minute hour day-of-month
 * month day-of-week}, or six with a leading {@code second}; each {@code *}, a value, a range {@code
 * a-b}, a step {@code *}{@code /n}, {@code a-b/n} or {@code a/n}, or a list of those; months {@code
 * 1-12} or {@code JAN-DEC}, days of week {@code 0-7} (0 and 7 Sunday) or {@code SUN-SAT}; {@code ?}
 * is {@code *} in the day fields. When both day fields are restricted (neither starts with {@code
 * *}) a day matches if either does, as in Vixie cron; otherwise both must. Times are in UTC unless
 * the expression starts with {@code CRON_TZ=Zone} (or {@code TZ=Zone}); in a zone with daylight
 * saving a local time skipped by the clock change fires when the clock resumes (02:30 fires at
 * 03:30), one that happens twice fires once, at the first.
 *
 * <p>Written here rather than taken from a library: the grammar is small and the search for the
 * next time is plain field arithmetic on {@link LocalDateTime}, so month ends and leap days come
 * from java.time.
 */
public final class Cron {
  private static final List<String> FIELDS =
      List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");
  private static final int[] MIN = {0, 0, 0, 1, 1, 0};
  private static final int[] MAX = {59, 59, 23, 31, 12, 7};
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** Far enough for any expression that can fire (Feb 29 on a Monday recurs within 28 years). */
  private static final int SEARCH_YEARS = 40;

  private final String expression;
  private final ZoneId zone;
  private final BitSet[] sets = new BitSet[6];
  private final boolean domStar;
  private final boolean dowStar;

  private Cron(String expression, ZoneId zone, String[] fields) {
    this.expression = expression;
    this.zone = zone;
    for (int i = 0; i < 6; i++) {
      sets[i] = field(i, fields[i]);
    }
    if (sets[5].get(7)) {
      sets[5].set(0); // 7 is Sunday too
    }
    domStar = fields[3].startsWith("*") || fields[3].equals("?");
    dowStar = fields[5].startsWith("*") || fields[5].equals("?");
    if (!dowStar) {
      return; // a day of the week always comes
    }
    // Day-of-month decides: its smallest day must exist in one of the months (no "30 2").
    int smallest = sets[3].nextSetBit(1);
    boolean possible = false;
    for (int m = sets[4].nextSetBit(1); m >= 0 && !possible; m = sets[4].nextSetBit(m + 1)) {
      possible = smallest <= java.time.Month.of(m).maxLength();
    }
    if (!possible) {
      throw new IllegalArgumentException(
          "cron '" + expression + "': day-of-month and month never meet (the day never exists)");
    }
  }

  /**
   * Parses an expression; an {@link IllegalArgumentException} says in one line which field is wrong
   * and why.
   */
  public static Cron parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cron: empty expression");
    }
    String text = expression.strip();
    ZoneId zone = ZoneOffset.UTC;
    if (text.startsWith("CRON_TZ=") || text.startsWith("TZ=")) {
      int sp = text.indexOf(' ');
      String z = text.substring(text.indexOf('=') + 1, sp < 0 ? text.length() : sp);
      try {
        zone = ZoneId.of(z);
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException(
            "cron '" + expression + "': unknown time zone '" + z + "'");
      }
      text = sp < 0 ? "" : text.substring(sp + 1).strip();
    }
    String[] parts = text.split("\\s+");
    if (parts.length != 5 && parts.length != 6) {
      throw new IllegalArgumentException(
          "cron '"
              + expression
              + "': expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second"
              + " first), got "
              + parts.length);
    }
    String[] fields = new String[6];
    if (parts.length == 5) {
      fields[0] = "0";
      System.arraycopy(parts, 0, fields, 1, 5);
    } else {
      System.arraycopy(parts, 0, fields, 0, 6);
    }
    try {
      return new Cron(expression.strip(), zone, fields);
    } catch (FieldException e) {
      throw new IllegalArgumentException("cron '" + expression + "': " + e.getMessage());
    }
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first time strictly after {@code after} it fires; empty if it never fires again. */
  public Optional<Instant> next(Instant after) {
    ZonedDateTime z = after.atZone(zone);
    LocalDateTime t = z.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    int limit = t.getYear() + SEARCH_YEARS;
    while (t.getYear() <= limit) {
      if (!sets[4].get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!day(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!sets[2].get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!sets[1].get(t.getMinute())) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      } else if (!sets[0].get(t.getSecond())) {
        t = t.plusSeconds(1);
      } else {
        Instant at = ZonedDateTime.ofLocal(t, zone, null).toInstant();
        if (at.isAfter(after)) {
          return Optional.of(at);
        }
        t = t.plusSeconds(1); // the second pass of an hour the clock repeats
      }
    }
    return Optional.empty();
  }

  private boolean day(LocalDateTime t) {
    boolean dom = sets[3].get(t.getDayOfMonth());
    DayOfWeek d = t.getDayOfWeek();
    boolean dow = sets[5].get(d.getValue() % 7);
    return domStar || dowStar ? dom && dow : dom || dow;
  }

  private static BitSet field(int i, String text) {
    BitSet set = new BitSet(MAX[i] + 1);
    String name = FIELDS.get(i);
    if (text.equals("?")) {
      if (i != 3 && i != 5) {
        throw new FieldException(name + " '?': only the day fields take ?");
      }
      set.set(MIN[i], MAX[i] + 1);
      return set;
    }
    for (String item : text.split(",", -1)) {
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(name, item.substring(slash + 1), item);
        if (step < 1) {
          throw new FieldException(name + " '" + item + "': the step must be at least 1");
        }
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = MIN[i];
        hi = MAX[i];
      } else {
        int dash = range.indexOf('-', 1);
        lo = value(i, dash < 0 ? range : range.substring(0, dash), item);
        hi = dash < 0 ? (slash >= 0 ? MAX[i] : lo) : value(i, range.substring(dash + 1), item);
        if (hi < lo) {
          throw new FieldException(name + " '" + item + "': the range runs backwards");
        }
      }
      for (int v = lo; v <= hi; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int value(int i, String text, String item) {
    String name = FIELDS.get(i);
    String upper = text.toUpperCase(java.util.Locale.ROOT);
    int v;
    if (i == 4 && MONTHS.contains(upper)) {
      v = MONTHS.indexOf(upper) + 1;
    } else if (i == 5 && DAYS.contains(upper)) {
      v = DAYS.indexOf(upper);
    } else {
      v = number(name, text, item);
    }
    if (v < MIN[i] || v > MAX[i]) {
      throw new FieldException(
          name + " '" + item + "': " + v + " is out of range " + MIN[i] + "-" + MAX[i]);
    }
    return v;
  }

  private static int number(String name, String text, String item) {
    if (!text.matches("\\d{1,4}")) {
      throw new FieldException(
          name
              + " '"
              + item
              + "': '"
              + text
              + "' is not a number"
              + (text.matches(".*[LW#].*") ? " (L, W and # are not supported)" : ""));
    }
    return Integer.parseInt(text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cron c && c.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return expression;
  }

  /** A field's problem, before the expression is named. */
  private static final class FieldException extends IllegalArgumentException {
    FieldException(String message) {
      super(message);
    }
  }
}
