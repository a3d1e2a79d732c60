package io.sluice.cluster.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tokens file: one client per line, {@code NAME ROLE sha256:HEX}, blank lines and {@code #}
 * comments ignored. A malformed line fails the whole file with its line number, so a typo never
 * silently locks a client out or lets one in.
 */
public final class TokenFile {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]+");

  /** One client: its name (the audit log's principal), role and token hash (32 bytes). */
  public record Entry(String name, Role role, byte[] hash) {}

  private TokenFile() {}

  /**
   * The entries of {@code file}.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException naming the file and line of the first malformed entry
   */
  public static List<Entry> read(Path file) throws IOException {
    return parse(file.toString(), Files.readAllLines(file));
  }

  /** The entries of {@code lines}; {@code source} names them in messages. */
  public static List<Entry> parse(String source, List<String> lines) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hashMark = line.indexOf('#');
      String text = (hashMark >= 0 ? line.substring(0, hashMark) : line).strip();
      if (text.isEmpty()) {
        continue;
      }
      String at = source + ":" + (i + 1) + ": ";
      String[] f = text.split("\\s+");
      if (f.length != 3) {
        throw new IllegalArgumentException(
            at + "expected NAME ROLE sha256:HEX, got " + f.length + " fields");
      }
      if (!NAME.matcher(f[0]).matches()) {
        throw new IllegalArgumentException(
            at + "name '" + f[0] + "' must be letters, digits, '.', '_', '@' or '-'");
      }
      Role role = Role.named(f[1]);
      if (role == null) {
        throw new IllegalArgumentException(
            at + "role '" + f[1] + "' is not one of submit, operate, admin");
      }
      String hex =
          f[2].startsWith(TokenHash.PREFIX) ? f[2].substring(TokenHash.PREFIX.length()) : "";
      if (!hex.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            at + "hash must be sha256: and 64 hex digits (sluice token hash prints it)");
      }
      out.add(new Entry(f[0], role, HexFormat.of().parseHex(hex)));
    }
    return out;
  }
}
