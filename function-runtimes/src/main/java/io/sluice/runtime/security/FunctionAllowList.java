package io.sluice.runtime.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.http.HttpUrls;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What functions a workflow registered without the {@code admin} role may use ({@code
 * security.allow}, docs/security.md "What functions may run"): the commands of {@code process}
 * functions, the images of {@code docker} ones, the classes of {@code java} ones, the URLs {@code
 * http} functions call and the cloud functions ({@code aws-lambda}, {@code openwhisk}) they name.
 * The master checks a registration with it, the worker a deployment the master did not mark
 * trusted, and the worker's {@code http} runtime each call's URL once its jq is evaluated and its
 * host resolved ({@link #checkCall}): a name that resolves to a loopback, private or link-local
 * address must be allowed by that address too, so no function reaches into the worker's network
 * unless an entry names the address.
 */
public final class FunctionAllowList {
  /** {@code security: none}: everything allowed. */
  public static final FunctionAllowList ANY =
      new FunctionAllowList(List.of(), List.of(), List.of(), List.of(), List.of(), true);

  /** The failure type of a call the allow-list refuses (not retryable). */
  public static final String NOT_ALLOWED = "NotAllowed";

  private static final String HINT = "; register as admin or add it";

  private final List<String> commands;
  private final List<String> images;
  private final List<String> classes;
  private final List<String> http;
  private final List<String> cloud;
  private final boolean any;

  private FunctionAllowList(
      List<String> commands,
      List<String> images,
      List<String> classes,
      List<String> http,
      List<String> cloud,
      boolean any) {
    this.commands = List.copyOf(commands);
    this.images = List.copyOf(images);
    this.classes = List.copyOf(classes);
    this.http = List.copyOf(http);
    this.cloud = List.copyOf(cloud);
    this.any = any;
  }

  /** An allow-list of globs ({@code *}: any run of characters). */
  public static FunctionAllowList of(
      List<String> commands,
      List<String> images,
      List<String> classes,
      List<String> http,
      List<String> cloud) {
    return new FunctionAllowList(commands, images, classes, http, cloud, false);
  }

  /** Whether everything is allowed ({@code security: none}). */
  public boolean any() {
    return any;
  }

  /** Every refusal among {@code functions}, in their order; empty when all may run. */
  public List<String> refusals(Collection<FunctionDef> functions) {
    List<String> out = new ArrayList<>();
    for (FunctionDef f : functions) {
      refusal(f).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Why {@code f} may not run without the admin role, one line naming the function, what it runs,
   * and the allow-list key; empty when it may.
   */
  public Optional<String> refusal(FunctionDef f) {
    if (any) {
      return Optional.empty();
    }
    JsonNode s = f.settings();
    switch (f.runtime()) {
      case "emit":
        return Optional.empty(); // the engine routes the event itself: nothing runs
      case "synthetic":
        // sleeps in the JVM, or in the stock image unless the definition names another
        if (s.path("container").asText("").equals("docker") && s.has("image")) {
          return check(f, "runs image", s.get("image"), "images", images);
        }
        return Optional.empty();
      case "process":
        return first(command(f, s.get("command")), loaderEnv(f));
      case "docker":
        return check(f, "runs image", s.get("image"), "images", images);
      case "java":
        return s.has("class")
            ? check(f, "loads class", s.get("class"), "classes", classes)
            : Optional.empty(); // a function the worker registered in code, or a built-in
      case "http":
        return first(credentials(f, "tokenEnv", "tokenFile"), http(f));
      case "aws-lambda":
        return first(
            check(f, "calls cloud function", s.get("function"), "cloud", cloud),
            s.has("endpoint")
                ? check(f, "calls endpoint", s.get("endpoint"), "http", http)
                : Optional.empty());
      case "openwhisk":
        return first(
            credentials(f, "authEnv", "authFile"),
            check(f, "calls action", s.get("action"), "cloud", cloud),
            check(f, "calls API host", s.get("apiHost"), "http", http));
      default:
        return Optional.of(
            name(f)
                + " uses runtime '"
                + f.runtime()
                + "', which no security.allow key covers"
                + "; register as admin");
    }
  }

  /**
   * Checks the URL an {@code http} call is about to go to, after its jq was evaluated: it must
   * match {@code security.allow.http}, and each address its host resolves to that is not a public
   * one (loopback, private, link-local, unique-local, carrier-grade NAT, multicast, unspecified)
   * must match it too, written as that address. Blocking (DNS); throws {@link FunctionException} of
   * type {@link #NOT_ALLOWED}, not retryable.
   */
  public void checkCall(FunctionDef f, URI url) {
    if (any) {
      return;
    }
    List<String> forms = forms(url, host(url));
    if (climbs(url) || forms.stream().noneMatch(u -> Glob.any(http, u))) {
      throw notAllowed(
          f, "calls URL '" + forms.get(0) + "', which security.allow.http does not allow");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(url.getHost());
    } catch (UnknownHostException e) {
      return; // the call itself fails with ConnectionFailed
    }
    for (InetAddress a : addresses) {
      if (!internal(a)) {
        continue;
      }
      String literal = a.getHostAddress();
      List<String> byAddress = forms(url, literal.contains(":") ? "[" + literal + "]" : literal);
      if (byAddress.stream().noneMatch(u -> Glob.any(http, u))) {
        throw notAllowed(
            f,
            "calls URL '"
                + forms.get(0)
                + "', whose host resolves to the internal address "
                + literal
                + ", which security.allow.http does not allow (an entry must name the address:"
                + " '"
                + byAddress.get(0)
                + "')");
      }
    }
  }

  private static FunctionException notAllowed(FunctionDef f, String what) {
    return new FunctionException(NOT_ALLOWED, name(f) + " " + what + HINT, false);
  }

  /** Whether {@code a} is in the worker's own or a private network rather than the internet. */
  static boolean internal(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128); // 0/8, 100.64/10
    }
    return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
  }

  private Optional<String> http(FunctionDef f) {
    Optional<URI> fixed;
    try {
      fixed = HttpUrls.fixed(f);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the runtime's own check reports the setting
    }
    if (fixed.isEmpty()) {
      // jq: checked per call on the worker, against the URL it gives
      return http.isEmpty()
          ? Optional.of(
              name(f)
                  + " calls a URL computed per call, and security.allow.http allows none"
                  + HINT)
          : Optional.empty();
    }
    URI u = fixed.get();
    List<String> forms = forms(u, host(u));
    return !climbs(u) && forms.stream().anyMatch(x -> Glob.any(http, x))
        ? Optional.empty()
        : Optional.of(
            name(f)
                + " calls URL '"
                + forms.get(0)
                + "', which security.allow.http does not allow"
                + HINT);
  }

  private Optional<String> command(FunctionDef f, JsonNode c) {
    if (c == null || c.isNull()) {
      return Optional.empty(); // the runtime reports the missing setting
    }
    String program;
    String line;
    if (c.isTextual()) {
      program = c.asText();
      line = program; // a shell command: allowed as a whole
    } else if (c.isArray() && !c.isEmpty() && c.get(0).isTextual()) {
      program = c.get(0).asText();
      List<String> words = new ArrayList<>();
      c.forEach(w -> words.add(w.asText()));
      line = String.join(" ", words);
    } else {
      return Optional.of(
          name(f)
              + " runs a command that is not plain text, which security.allow.commands"
              + " cannot check"
              + HINT);
    }
    if (program.contains("/") && List.of(program.split("/")).contains("..") && !c.isTextual()) {
      return Optional.of(
          name(f) + " runs command '" + program + "', whose path climbs out with '..'" + HINT);
    }
    // an entry with a space names arguments too (the command line, words joined by one space)
    for (String p : commands) {
      if (p.contains(" ") ? Glob.matches(p, line) : Glob.matches(p, program)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        name(f)
            + " runs command '"
            + program
            + "', which security.allow.commands does not allow"
            + HINT);
  }

  private static Optional<String> check(
      FunctionDef f, String verb, JsonNode value, String key, List<String> allowed) {
    if (value == null || value.isNull()) {
      return Optional.empty(); // the runtime reports a missing setting
    }
    if (!value.isTextual()) {
      return Optional.of(
          name(f)
              + " "
              + verb
              + " given as "
              + value.getNodeType().name().toLowerCase(Locale.ROOT)
              + ", which security.allow."
              + key
              + " cannot check"
              + HINT);
    }
    String v = value.asText();
    return Glob.any(allowed, v)
        ? Optional.empty()
        : Optional.of(
            name(f)
                + " "
                + verb
                + " '"
                + v
                + "', which security.allow."
                + key
                + " does not allow"
                + HINT);
  }

  /**
   * A token read from any variable or file of the worker would go out to wherever the function
   * calls: without the admin role only the worker's secrets ({@code SLUICE_SECRET_*} variables, or
   * a {@code {secret: NAME}} setting) may be used.
   */
  private static Optional<String> credentials(FunctionDef f, String envKey, String fileKey) {
    JsonNode file = f.settings().get(fileKey);
    if (file != null && !file.isNull()) {
      return Optional.of(
          name(f)
              + " reads its token from the worker's file '"
              + file.asText()
              + "' ("
              + fileKey
              + "), which only an admin's workflow may; use a {secret: NAME} setting or "
              + envKey
              + ": SLUICE_SECRET_NAME, or register as admin");
    }
    JsonNode env = f.settings().get(envKey);
    if (env != null && env.isTextual() && !env.asText().startsWith(SECRET_ENV_PREFIX)) {
      return Optional.of(
          name(f)
              + " reads its token from the worker's variable '"
              + env.asText()
              + "' ("
              + envKey
              + "); without the admin role only "
              + SECRET_ENV_PREFIX
              + "* variables may be named; register as admin or rename it");
    }
    return Optional.empty();
  }

  /**
   * Variables that decide which code an allowed command loads or runs (the program's search path,
   * the dynamic loader, interpreters' start-up hooks): setting them would turn an allowed command
   * into any other, so only an admin's workflow may.
   */
  private static Optional<String> loaderEnv(FunctionDef f) {
    JsonNode env = f.settings().get("env");
    if (env == null || !env.isObject()) {
      return Optional.empty();
    }
    for (java.util.Iterator<String> it = env.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      String u = k.toUpperCase(Locale.ROOT);
      if (LOADER_ENV.contains(u) || LOADER_ENV_PREFIXES.stream().anyMatch(u::startsWith)) {
        return Optional.of(
            name(f)
                + " sets the variable "
                + k
                + ", which changes what code its command runs; only an admin's workflow may set it");
      }
    }
    return Optional.empty();
  }

  private static final java.util.Set<String> LOADER_ENV =
      java.util.Set.of(
          "PATH",
          "BASH_ENV",
          "ENV",
          "IFS",
          "SHELLOPTS",
          "NODE_OPTIONS",
          "NODE_PATH",
          "JAVA_TOOL_OPTIONS",
          "_JAVA_OPTIONS",
          "JDK_JAVA_OPTIONS",
          "CLASSPATH");

  private static final List<String> LOADER_ENV_PREFIXES =
      List.of("LD_", "DYLD_", "PYTHON", "PERL5", "PERLLIB", "RUBY", "GCONV_");

  /** The prefix of the worker's secret variables (docs/security.md, Secrets). */
  static final String SECRET_ENV_PREFIX = "SLUICE_SECRET_";

  @SafeVarargs
  private static Optional<String> first(Optional<String>... checks) {
    for (Optional<String> c : checks) {
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  private static String name(FunctionDef f) {
    return "function '" + f.name() + "' (" + f.runtime() + ")";
  }

  private static String host(URI u) {
    return u.getHost().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the URL's path has a {@code ..} segment (or an encoded dot) an entry's prefix misses.
   */
  static boolean climbs(URI u) {
    String p = u.getRawPath() == null ? "" : u.getRawPath();
    return p.toLowerCase(Locale.ROOT).contains("%2e") || List.of(p.split("/")).contains("..");
  }

  /**
   * The forms an entry may match: {@code scheme://host:port/path}, and without the port when it is
   * the scheme's default; the query is never part of it.
   */
  static List<String> forms(URI u, String host) {
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    int dflt = scheme.equals("https") ? 443 : 80;
    int port = u.getPort() < 0 ? dflt : u.getPort();
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String full = scheme + "://" + host + ":" + port + path;
    return port == dflt ? List.of(full, scheme + "://" + host + path) : List.of(full);
  }
}
