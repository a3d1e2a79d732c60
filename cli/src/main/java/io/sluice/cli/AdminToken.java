package io.sluice.cli;

import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.cluster.security.TokenHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin client token {@code sluice certs init --config} makes when the config names a tokens
 * file: its line ({@code admin admin sha256:HEX}) appended to the tokens file, the token itself in
 * {@code admin.token} beside it (0600). The master re-reads the tokens file by itself, so this
 * works on a running master too.
 *
 * @param tokensFile the master's tokens file ({@code security.tokens})
 */
record AdminToken(Path tokensFile) {
  static final String NAME = "admin";

  /** The file the token goes to: {@code admin.token} in the tokens file's folder. */
  Path tokenFile() {
    return tokensFile.resolveSibling(NAME + ".token");
  }

  /**
   * Fails when an admin token exists (its file, or an {@code admin} line in the tokens file),
   * unless {@code force}; a malformed tokens file fails too, since the master would not start with
   * it.
   */
  void refuseExisting(boolean force) {
    if (!force) {
      CertFolder.refuseExisting(List.of(tokenFile()), false);
    }
    if (!Files.exists(tokensFile)) {
      return;
    }
    try {
      boolean hasAdmin = TokenFile.read(tokensFile).stream().anyMatch(e -> e.name().equals(NAME));
      if (hasAdmin && !force) {
        throw new CliFailure(
            Main.EXIT_INVALID,
            tokensFile
                + " has a token named admin already; --force replaces it (the old one stops"
                + " working)");
      }
    } catch (IOException e) {
      throw new CliFailure(
          Main.EXIT_INVALID, "cannot read " + tokensFile + ": " + CertFolder.why(e));
    } catch (IllegalArgumentException e) {
      throw new CliFailure(Main.EXIT_INVALID, e.getMessage());
    }
  }

  /**
   * Makes a new token: drops the tokens file's old {@code admin} lines, appends the new one
   * (creating the file, 0600, when missing) and writes the token to {@link #tokenFile()}.
   */
  void create() {
    String token = TokenHash.newToken();
    try {
      CertFolder.createOwnerOnly(tokensFile.getParent());
      List<String> lines = new ArrayList<>();
      if (Files.exists(tokensFile)) {
        for (String line : Files.readAllLines(tokensFile, StandardCharsets.UTF_8)) {
          String[] f = line.strip().split("\\s+");
          if (!f[0].equals(NAME)) {
            lines.add(line);
          }
        }
      } else {
        lines.add("# NAME ROLE sha256:HEX (docs/security.md); made by sluice certs init");
      }
      lines.add(NAME + " " + Role.ADMIN.configName() + " " + TokenHash.of(token));
      writeOwnerOnly(tokensFile, String.join("\n", lines) + "\n");
      writeOwnerOnly(tokenFile(), token + "\n");
    } catch (IOException e) {
      throw new CliFailure(Main.EXIT_INVALID, "cannot write the admin token: " + CertFolder.why(e));
    }
  }

  /**
   * Writes {@code file} (0600) through a temporary file moved over it, so a master re-reading the
   * tokens file never sees half of it.
   */
  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(CertFolder.OWNER_FILE));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
