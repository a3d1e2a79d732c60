package io.sluice.cli;

import io.sluice.cluster.tls.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A cluster's key-material folder as {@code security.tls.dir} names it: {@code ca.crt}, {@code
 * ca.key}, and {@code N.crt}, {@code N.key} per component N. Keys are readable by their owner only
 * (0600) and the folders {@code sluice certs} creates are 0700, so a key never becomes readable by
 * another user of the host in between.
 */
final class CertFolder {
  static final String CA = "ca";
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path dir;

  CertFolder(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  Path certificate(String name) {
    return dir.resolve(name + ".crt");
  }

  Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /**
   * Checks that {@code name} can name a component's files: letters, digits, '.', '_', '@' and '-',
   * not starting with '.' or '-' (so it stays in the folder), and not {@code ca} (the CA's own
   * files).
   */
  static void checkName(String what, String name) {
    if (!name.matches("[A-Za-z0-9_@][A-Za-z0-9._@-]*")) {
      throw new CliFailure(
          Main.EXIT_INVALID,
          what
              + " '"
              + name
              + "' cannot name a certificate file: use letters, digits, '.', '_', '@' and '-',"
              + " not starting with '.' or '-'");
    }
    if (name.equals(CA)) {
      throw new CliFailure(
          Main.EXIT_INVALID, what + " 'ca' would overwrite the CA's own files ca.crt and ca.key");
    }
  }

  /** The certificate and key files of these components, for {@link #refuseExisting}. */
  List<Path> files(List<String> names) {
    List<Path> out = new ArrayList<>();
    for (String n : names) {
      out.add(certificate(n));
      out.add(key(n));
    }
    return out;
  }

  /** Fails naming the first of {@code files} that exists, unless {@code force}. */
  static void refuseExisting(List<Path> files, boolean force) {
    if (force) {
      return;
    }
    for (Path f : files) {
      if (Files.exists(f)) {
        throw new CliFailure(
            Main.EXIT_INVALID,
            f
                + " exists; --force replaces it (a component using the old file keeps it until it"
                + " restarts)");
      }
    }
  }

  /** Creates the folder (and missing parents) with mode 0700. */
  void create() {
    createOwnerOnly(dir);
  }

  /** Creates {@code d} and its missing parents, each with mode 0700; existing ones are kept. */
  static void createOwnerOnly(Path d) {
    List<Path> missing = new ArrayList<>();
    for (Path p = d.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(0, p);
    }
    try {
      for (Path p : missing) {
        Files.createDirectory(p, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      }
      if (!Files.isDirectory(d)) {
        throw new CliFailure(Main.EXIT_INVALID, d + " is not a folder");
      }
    } catch (IOException e) {
      throw new CliFailure(Main.EXIT_INVALID, "cannot create folder " + d + ": " + why(e));
    }
  }

  /** Writes a new CA's {@code ca.crt} and {@code ca.key}. */
  void writeAuthority(CertificateAuthority ca) {
    try {
      ca.write(certificate(CA), key(CA));
      restrict(certificate(CA), key(CA));
    } catch (IOException | RuntimeException e) {
      throw new CliFailure(Main.EXIT_INVALID, "cannot write the CA into " + dir + ": " + why(e));
    }
  }

  /** The CA of this folder, from {@code ca.crt} and {@code ca.key}. */
  CertificateAuthority loadAuthority() {
    Path crt = certificate(CA);
    Path key = key(CA);
    if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
      throw new CliFailure(
          Main.EXIT_INVALID,
          "no CA in "
              + dir
              + " (needs ca.crt and ca.key); make one with sluice certs init --dir "
              + dir);
    }
    try {
      return CertificateAuthority.load(crt, key);
    } catch (RuntimeException e) {
      throw new CliFailure(
          Main.EXIT_INVALID, "cannot read the CA from " + crt + " and " + key + ": " + why(e));
    }
  }

  /** Writes a component's {@code N.crt} and {@code N.key} (0600). */
  void write(String name, CertificateAuthority.Issued issued) {
    try {
      issued.write(certificate(name), key(name));
      restrict(certificate(name), key(name));
    } catch (IOException | RuntimeException e) {
      throw new CliFailure(
          Main.EXIT_INVALID, "cannot write " + name + "'s files into " + dir + ": " + why(e));
    }
  }

  private static void restrict(Path certificate, Path key) throws IOException {
    Files.setPosixFilePermissions(certificate, PUBLIC_FILE);
    Files.setPosixFilePermissions(key, OWNER_FILE);
  }

  static String why(Exception e) {
    if (e instanceof java.io.UncheckedIOException u) {
      e = u.getCause();
    }
    String m = e.getMessage();
    String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    if (e instanceof java.nio.file.AccessDeniedException) {
      text = "permission denied: " + text;
    }
    return text.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
