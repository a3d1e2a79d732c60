package io.sluice.bench.workflow;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV lines: fields with a comma, quote or line break are quoted, quotes doubled. */
final class Csv {
  private Csv() {}

  static String line(List<String> fields) {
    return fields.stream().map(Csv::field).collect(Collectors.joining(",")) + "\n";
  }

  static String field(String f) {
    if (f == null) {
      return "";
    }
    if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
      return "\"" + f.replace("\"", "\"\"") + "\"";
    }
    return f;
  }
}
