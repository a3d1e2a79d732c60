package io.sluice.runtime.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The unprivileged user a root worker runs {@code process} functions as ({@code security.runAs},
 * default {@code nobody}): each command is started through {@code setpriv --reuid=UID --regid=GID
 * --init-groups --}, so the function has that user's ids and groups and nothing of root's.
 *
 * @param user the user's name
 * @param uid its numeric id
 * @param gid its primary group's id
 */
public record RunAs(String user, int uid, int gid) {
  /** The user process functions run as when {@code security.runAs} names none. */
  public static final String DEFAULT_USER = "nobody";

  static final String SETPRIV = "/usr/bin/setpriv";

  /** {@code command} started as this user. */
  public List<String> wrap(List<String> command) {
    List<String> out = new ArrayList<>(List.of(setpriv(), "--reuid=" + uid, "--regid=" + gid));
    out.add("--init-groups");
    out.add("--");
    out.addAll(command);
    return out;
  }

  private static String setpriv() {
    return Files.isExecutable(Path.of(SETPRIV)) ? SETPRIV : "setpriv";
  }

  /** Whether this process runs as root (uid 0). */
  public static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer i && i == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * The user to run functions as on a worker that runs as root; null on one that does not (it
   * cannot change user, and its functions run as itself). Throws {@link IllegalStateException} when
   * the user does not exist here, or {@code setpriv} (util-linux) is missing: a worker must not
   * start and run functions as root.
   */
  public static RunAs forWorker(String user) {
    if (!isRoot()) {
      return null;
    }
    String name = user == null || user.isBlank() ? DEFAULT_USER : user;
    if (!Files.isExecutable(Path.of(SETPRIV)) && !onPath("setpriv")) {
      throw new IllegalStateException(
          "security.runAs: this worker runs as root and process functions must run as '"
              + name
              + "', but setpriv (util-linux) is not installed; install it or run the worker as"
              + " an unprivileged user");
    }
    return new RunAs(name, id(name, "-u"), id(name, "-g"));
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  /** {@code id FLAG user} as a number. */
  private static int id(String user, String flag) {
    String out;
    int exit;
    try {
      Process p =
          new ProcessBuilder("id", flag, "--", user)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("security.runAs: 'id " + flag + " " + user + "' hung");
      }
      exit = p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException(
          "security.runAs: cannot look up user '" + user + "' (id: " + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("security.runAs: interrupted looking up " + user, e);
    }
    if (exit != 0 || !out.matches("\\d+")) {
      throw new IllegalStateException(
          "security.runAs: user '"
              + user
              + "' does not exist on this host ("
              + out
              + "); create it or name another unprivileged user: this worker runs as root and"
              + " will not run process functions as root");
    }
    return Integer.parseInt(out);
  }
}
