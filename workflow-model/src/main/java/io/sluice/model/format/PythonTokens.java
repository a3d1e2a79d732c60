package io.sluice.model.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits Python source into tokens (identifiers, numbers, strings, operators). */
final class PythonTokens {
  private static final Set<String> OPERATORS = Set.of("==", "!=", "<=", ">=");

  private PythonTokens() {}

  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      } else if (Character.isDigit(c)
          || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        int j = i + 1;
        while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      } else if (c == '\'' || c == '"') {
        int j = s.indexOf(c, i + 1);
        if (j < 0) {
          throw new IllegalArgumentException("unterminated string in '" + s + "'");
        }
        out.add(s.substring(i, j + 1));
        i = j + 1;
      } else if (i + 1 < s.length() && OPERATORS.contains(s.substring(i, i + 2))) {
        out.add(s.substring(i, i + 2));
        i += 2;
      } else {
        out.add(String.valueOf(c));
        i++;
      }
    }
    return out;
  }

  static boolean isIdentifier(String t) {
    return t.matches("[A-Za-z_][A-Za-z0-9_]*");
  }

  static boolean isNumber(String t) {
    return t.matches("-?\\d+(\\.\\d+)?");
  }

  static boolean isString(String t) {
    return t.length() >= 2 && (t.charAt(0) == '\'' || t.charAt(0) == '"');
  }

  static String unquote(String t) {
    return t.substring(1, t.length() - 1);
  }
}
