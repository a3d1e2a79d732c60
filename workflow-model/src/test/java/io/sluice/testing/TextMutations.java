package io.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutations of a definition's bytes, for {@link DefinitionMutator}: what a tree cannot express —
 * truncation at any byte (also inside a UTF-8 sequence), control characters and invalid UTF-8,
 * duplicated, dropped and swapped lines (duplicate keys, broken indentation), YAML anchors and
 * aliases (reused values, alias bombs, recursive and undefined aliases) and nesting far deeper than
 * any reader allows. Each returns the new bytes; {@link #last} says what the last one did.
 */
final class TextMutations {
  private static final Pattern YAML_VALUE =
      Pattern.compile("(?m)^(\\s*-?\\s*[A-Za-z_][\\w-]*:)[ ]+([^&*#\\s\\[{'\"][^#\\n]*)$");

  private final SplittableRandom random;
  private String last = "";

  TextMutations(SplittableRandom random) {
    this.random = random;
  }

  String last() {
    return last;
  }

  /** One random mutation of {@code text}, a document in YAML ({@code json} false) or JSON. */
  byte[] mutate(byte[] text, boolean json) {
    int op = random.nextInt(json ? 7 : 10);
    return switch (op) {
      case 0, 1 -> truncate(text);
      case 2 -> insertBytes(text);
      case 3 -> duplicateLine(text);
      case 4 -> dropOrSwapLines(text);
      case 5 -> deepText(text);
      case 6 -> unicode(text);
      case 7 -> aliasBomb(text);
      case 8 -> anchorAndAlias(text);
      default -> badAlias(text);
    };
  }

  private byte[] truncate(byte[] text) {
    int at = random.nextInt(text.length + 1);
    last = "truncated at byte " + at + " of " + text.length;
    return Arrays.copyOf(text, at);
  }

  private static final byte[][] ODD_BYTES = {
    {0},
    {7},
    {0x1b},
    {(byte) 0xC3},
    {(byte) 0xFF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
    {'\t'},
    {'\r'},
    {(byte) 0xC2, (byte) 0x85}
  };

  private byte[] insertBytes(byte[] text) {
    byte[] b = ODD_BYTES[random.nextInt(ODD_BYTES.length)];
    int at = random.nextInt(text.length + 1);
    last = "inserted bytes " + Arrays.toString(b) + " at byte " + at;
    return splice(text, at, 0, b);
  }

  private byte[] unicode(byte[] text) {
    String[] odd = {"\u202e", "\u0085", "\uFEFF", "\uD83D\uDE00", "\u00e9", "\u2028", "\uFFFD"};
    String s = odd[random.nextInt(odd.length)];
    List<int[]> strings = spans(text, '"');
    int at = strings.isEmpty() ? random.nextInt(text.length + 1) : pick(strings)[0] + 1;
    last = "inserted U+" + Integer.toHexString(s.codePointAt(0)) + " at byte " + at;
    return splice(text, at, 0, s.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] duplicateLine(byte[] text) {
    List<String> lines = lines(text);
    int i = random.nextInt(lines.size());
    lines.add(i, lines.get(i));
    last = "duplicated line " + (i + 1);
    return join(lines);
  }

  private byte[] dropOrSwapLines(byte[] text) {
    List<String> lines = lines(text);
    int i = random.nextInt(lines.size());
    if (random.nextBoolean() || lines.size() < 2) {
      lines.remove(i);
      last = "dropped line " + (i + 1);
    } else {
      int j = random.nextInt(lines.size());
      String t = lines.get(i);
      lines.set(i, lines.get(j));
      lines.set(j, t);
      last = "swapped lines " + (i + 1) + " and " + (j + 1);
    }
    return join(lines);
  }

  /** Brackets far deeper than any reader's nesting limit, as a value or an unclosed run. */
  private byte[] deepText(byte[] text) {
    // far past every reader's limit (200); deeper only costs time: SnakeYAML's scanner looks
    // ahead up to 1,024 characters per open flow level before the composer sees the depth
    int depth = random.nextBoolean() ? 1_000 : 20_000;
    boolean closed = random.nextBoolean();
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    String v = open.repeat(depth) + (closed ? "1" + close.repeat(depth) : "");
    List<int[]> values = valuePositions(text);
    int[] value = values.isEmpty() ? new int[] {text.length, text.length} : pick(values);
    int at = value[0];
    int len = value[1] - value[0];
    last = "nesting " + depth + (closed ? "" : " unclosed") + " at byte " + at;
    return splice(text, at, len, v.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Prepends a mapping of anchored lists whose aliases multiply (the billion laughs), as an unknown
   * top-level key: the reader must stop it before it fills the heap.
   */
  private byte[] aliasBomb(byte[] text) {
    int levels = random.nextInt(3, 12);
    int width = random.nextInt(2, 12);
    StringBuilder b = new StringBuilder("x-bomb:\n  l0: &l0 [\"lol\"]\n");
    for (int i = 1; i < levels; i++) {
      b.append("  l").append(i).append(": &l").append(i).append(" [");
      for (int k = 0; k < width; k++) {
        b.append(k == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      b.append("]\n");
    }
    last = "alias bomb " + levels + " levels x " + width + " wide";
    return splice(text, 0, 0, b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Anchors one scalar value and puts an alias to it in place of a later one. */
  private byte[] anchorAndAlias(byte[] text) {
    String s = new String(text, StandardCharsets.UTF_8);
    List<int[]> values = new ArrayList<>();
    Matcher m = YAML_VALUE.matcher(s);
    while (m.find()) {
      values.add(new int[] {m.start(2), m.end(2)});
    }
    if (values.size() < 2) {
      return badAlias(text);
    }
    int i = random.nextInt(values.size() - 1);
    int j = random.nextInt(i + 1, values.size());
    int[] a = values.get(i);
    int[] b = values.get(j);
    String out =
        s.substring(0, a[0]) + "&fz " + s.substring(a[0], b[0]) + "*fz" + s.substring(b[1]);
    last = "anchored value " + i + " and aliased it at value " + j;
    return out.getBytes(StandardCharsets.UTF_8);
  }

  /** An alias to an anchor that does not exist, or a collection that contains itself. */
  private byte[] badAlias(byte[] text) {
    String add =
        random.nextBoolean() ? "x-alias: *nowhere\n" : "x-self: &self\n  me: *self\n  other: 1\n";
    last = "prepended " + add.strip().replace('\n', ' ');
    return splice(text, 0, 0, add.getBytes(StandardCharsets.UTF_8));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private int[] pick(List<int[]> l) {
    return l.get(random.nextInt(l.size()));
  }

  /** Positions of the text between pairs of {@code quote} bytes. */
  private static List<int[]> spans(byte[] text, char quote) {
    List<int[]> out = new ArrayList<>();
    int open = -1;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == quote) {
        if (open < 0) {
          open = i;
        } else {
          out.add(new int[] {open, i});
          open = -1;
        }
      } else if (text[i] == '\n') {
        open = -1;
      }
    }
    return out;
  }

  /** Where values start and end: after "key": or key: up to the end of the line or a comma. */
  private static List<int[]> valuePositions(byte[] text) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i + 1 < text.length; i++) {
      if (text[i] == ':' && text[i + 1] == ' ') {
        int end = i + 2;
        while (end < text.length && text[end] != '\n' && text[end] != ',') {
          end++;
        }
        out.add(new int[] {i + 2, end});
      }
    }
    return out;
  }

  private static List<String> lines(byte[] text) {
    return new ArrayList<>(Arrays.asList(new String(text, StandardCharsets.UTF_8).split("\n", -1)));
  }

  private static byte[] join(List<String> lines) {
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] splice(byte[] text, int at, int remove, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + insert.length);
    out.write(text, 0, at);
    out.write(insert, 0, insert.length);
    out.write(text, at + remove, text.length - at - remove);
    return out.toByteArray();
  }
}
