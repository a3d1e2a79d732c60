package io.sluice.engine.sw;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader for the subset of Gherkin the Serverless Workflow CTK uses: {@code Feature:}, {@code
 * Scenario:}, steps ({@code Given}, {@code When}, {@code Then}, {@code And}, {@code But}, {@code
 * *}) with an optional doc string ({@code """}, its indentation removed as Gherkin does) or data
 * table, comments and tags. {@code Background}, {@code Scenario Outline} and {@code Rule} are
 * refused with their line rather than misread.
 */
final class Gherkin {
  record Step(String keyword, String text, String docString, List<List<String>> table, int line) {}

  record Scenario(String name, List<Step> steps, int line) {}

  record Feature(String file, String name, List<Scenario> scenarios) {}

  private Gherkin() {}

  static Feature parse(String file, String text) {
    String[] lines = text.split("\r?\n", -1);
    String feature = null;
    List<Scenario> scenarios = new ArrayList<>();
    String scenario = null;
    int scenarioLine = 0;
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("@")) {
        continue;
      }
      if (l.startsWith("Feature:")) {
        feature = l.substring(8).strip();
      } else if (l.startsWith("Scenario:") || l.startsWith("Example:")) {
        if (scenario != null) {
          scenarios.add(new Scenario(scenario, steps, scenarioLine));
        }
        scenario = l.substring(l.indexOf(':') + 1).strip();
        scenarioLine = i + 1;
        steps = new ArrayList<>();
      } else if (l.startsWith("Background:")
          || l.startsWith("Scenario Outline:")
          || l.startsWith("Scenario Template:")
          || l.startsWith("Rule:")) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": '" + l + "' is not supported by this reader");
      } else if (l.startsWith("\"\"\"") || l.startsWith("```")) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": doc string without a step");
      } else if (startsWithKeyword(l) && scenario != null) {
        int sp = l.indexOf(' ');
        String keyword = sp < 0 ? l : l.substring(0, sp);
        String rest = sp < 0 ? "" : l.substring(sp + 1).strip();
        int stepLine = i + 1;
        String doc = null;
        List<List<String>> table = new ArrayList<>();
        int j = i + 1;
        while (j < lines.length && lines[j].isBlank()) {
          j++;
        }
        if (j < lines.length
            && (lines[j].strip().startsWith("\"\"\"") || lines[j].strip().startsWith("```"))) {
          String fence = lines[j].strip().substring(0, 3);
          int indent = lines[j].indexOf(fence);
          StringBuilder b = new StringBuilder();
          int k = j + 1;
          while (k < lines.length && !lines[k].strip().startsWith(fence)) {
            String raw = lines[k];
            int cut = 0;
            while (cut < indent && cut < raw.length() && raw.charAt(cut) == ' ') {
              cut++;
            }
            b.append(raw.substring(cut)).append('\n');
            k++;
          }
          if (k == lines.length) {
            throw new IllegalArgumentException(
                file + ":" + (j + 1) + ": doc string not closed with " + fence);
          }
          doc = b.toString();
          i = k;
        } else {
          while (j < lines.length && lines[j].strip().startsWith("|")) {
            String row = lines[j].strip();
            List<String> cells = new ArrayList<>();
            for (String cell : row.substring(1, row.length() - 1).split("\\|", -1)) {
              cells.add(cell.strip());
            }
            table.add(cells);
            i = j;
            j++;
          }
        }
        steps.add(new Step(keyword, rest, doc, table, stepLine));
      } else if (scenario == null && feature != null) {
        continue; // the feature's description
      } else {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": cannot read '" + l + "'");
      }
    }
    if (scenario != null) {
      scenarios.add(new Scenario(scenario, steps, scenarioLine));
    }
    if (feature == null) {
      throw new IllegalArgumentException(file + ":1: no 'Feature:' line");
    }
    return new Feature(file, feature, scenarios);
  }

  private static boolean startsWithKeyword(String l) {
    for (String k : List.of("Given ", "When ", "Then ", "And ", "But ", "* ")) {
      if (l.startsWith(k)) {
        return true;
      }
    }
    return false;
  }
}
