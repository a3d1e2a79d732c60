package io.sluice.cli;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.WorkerConfig;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.tls.CertificateAuthority;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice certs init|issue}: a cluster's CA and the certificates of its master, workers and
 * clients (docs/security.md, Setting up a secure cluster). What was written goes to stderr, the
 * {@code export} lines for the CLI and client library to stdout, so {@code eval "$(sluice certs
 * init --config F)"} both shows the files and sets the variables.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = {
      "Makes the certificates for mutual TLS between a cluster's components (docs/security.md,"
          + " Setting up a secure cluster).",
      "certs init creates a CA and, with --config, every certificate and key the config names"
          + " (and an admin token when it has a tokens file); certs issue makes one more from the"
          + " CA."
    },
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class})
final class CertsCommand implements Runnable {
  /** Certificates' default lifetime, in days. */
  static final String DEFAULT_DAYS = "365";

  /** The CA lives at least this long, so that certificates it issues later are still covered. */
  static final int CA_MIN_DAYS = 3650;

  /** The client certificate {@code certs init --config} makes for the operator. */
  static final String ADMIN_CLIENT = "admin";

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "name what to do: sluice certs init [--config FILE] [--dir DIR], or sluice certs issue"
            + " NAME --kind KIND");
  }

  /** The cluster config {@code --config} names, read as written (no SLUICE_MASTER override). */
  static ClusterConfig load(Path file) {
    try {
      return ClusterConfig.load(file, Map.of());
    } catch (RuntimeException e) {
      throw new CliFailure(
          Main.EXIT_INVALID,
          String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; "));
    }
  }

  /** The folder: {@code --dir}, else the config's {@code security.tls.dir}. */
  static CertFolder folder(Path dir, ClusterConfig config, Path configFile) {
    if (dir != null) {
      return new CertFolder(dir);
    }
    if (config == null) {
      throw new CliFailure(
          Main.EXIT_INVALID,
          "name the folder: --dir DIR, or --config FILE whose security.tls.dir names it");
    }
    return config
        .security()
        .tls()
        .map(t -> new CertFolder(Path.of(t.dir())))
        .orElseThrow(
            () ->
                new CliFailure(
                    Main.EXIT_INVALID,
                    configFile
                        + " has no security.tls: {dir: DIR}; add it (docs/security.md) or give"
                        + " --dir"));
  }

  static Duration days(CommandLine cl, int days) {
    if (days < 1 || days > 36500) {
      throw new CommandLine.ParameterException(
          cl, "--days must be between 1 and 36500, got " + days);
    }
    return Duration.ofDays(days);
  }

  /** One {@code export NAME=VALUE} line, the value quoted for a POSIX shell when it needs it. */
  static String export(String name, Object value) {
    String v = value.toString();
    if (!v.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      v = "'" + v.replace("'", "'\\''") + "'";
    }
    return "export " + name + "=" + v;
  }

  /** What a certificate is for, as {@code issue} prints it. */
  static String describe(
      CertificateAuthority.Kind kind, Optional<String> role, List<String> hosts) {
    String what = kind.name().toLowerCase(Locale.ROOT);
    if (role.isPresent()) {
      what += ", role " + role.get();
    }
    if (!hosts.isEmpty()) {
      what += ", hosts " + String.join(" ", hosts);
    }
    return what;
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a CA (ca.crt, ca.key) in the folder; with --config FILE also the certificate and"
            + " key of the master, of each worker (for its host) and of a client 'admin' (role"
            + " admin), in the folder of FILE's security: {tls: {dir}}, and, when FILE has a"
            + " tokens file, an admin token (its line appended to the tokens file, the token in"
            + " admin.token beside it).",
        "Prints what it wrote on stderr and the export lines for the CLI and client library on"
            + " stdout: eval \"$(bin/sluice certs init --config FILE)\"."
      })
  static final class Init implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "the cluster config whose components get certificates")
    Path config;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "the folder to write to (default: the config's security.tls.dir; required without"
                + " --config); created with mode 0700")
    Path dir;

    @Option(
        names = "--days",
        paramLabel = "N",
        defaultValue = DEFAULT_DAYS,
        description =
            "how long the certificates are valid, in days (default ${DEFAULT-VALUE}); the CA: "
                + CA_MIN_DAYS
                + " days or N, whichever is longer")
    int days;

    @Option(
        names = "--force",
        description = "replace files that exist (else refused: nothing is written)")
    boolean force;

    @Override
    public Integer call() {
      var cl = spec.commandLine();
      Duration validity = days(cl, days);
      ClusterConfig c = config == null ? null : load(config);
      CertFolder folder = folder(dir, c, config);
      List<Component> components = c == null ? List.of() : components(c);
      List<String> names = new ArrayList<>(List.of(CertFolder.CA));
      for (Component k : components) {
        CertFolder.checkName(k.kind().name().toLowerCase(Locale.ROOT) + " id", k.name());
        if (names.contains(k.name())) {
          throw new CliFailure(
              Main.EXIT_INVALID,
              "two components would share the files "
                  + k.name()
                  + ".crt and .key: rename the worker '"
                  + k.name()
                  + "' ('master' and 'admin' are taken)");
        }
        names.add(k.name());
      }
      Optional<AdminToken> token =
          c == null
              ? Optional.empty()
              : c.security().tokensFile().map(f -> new AdminToken(Path.of(f)));
      CertFolder.refuseExisting(folder.files(names), force);
      token.ifPresent(t -> t.refuseExisting(force));

      PrintWriter err = cl.getErr();
      folder.create();
      String clusterName = c == null ? "sluice" : c.name();
      CertificateAuthority ca =
          CertificateAuthority.create(clusterName, Duration.ofDays(Math.max(CA_MIN_DAYS, days)));
      folder.writeAuthority(ca);
      err.println("wrote into " + folder.dir() + ":");
      err.println(
          "  ca.crt, ca.key: the CA of cluster "
              + clusterName
              + " (ca.key signs certificates: keep it off the cluster's hosts)");
      for (Component k : components) {
        folder.write(k.name(), ca.issue(k.name(), k.kind(), k.role(), k.hosts(), validity));
        err.println(
            "  "
                + k.name()
                + ".crt, "
                + k.name()
                + ".key: "
                + describe(k.kind(), k.role(), k.hosts()));
      }
      token.ifPresent(
          t -> {
            t.create();
            err.println(
                "wrote the admin token to " + t.tokenFile() + " and its hash to " + t.tokensFile());
          });
      err.flush();
      PrintWriter out = cl.getOut();
      if (c != null) {
        out.println(export(MasterAddress.ENV, c.master().grpcAddress()));
      }
      out.println(export("SLUICE_CA_FILE", folder.certificate(CertFolder.CA)));
      if (c != null) {
        out.println(export("SLUICE_CERT_FILE", folder.certificate(ADMIN_CLIENT)));
        out.println(export("SLUICE_KEY_FILE", folder.key(ADMIN_CLIENT)));
      }
      token.ifPresent(t -> out.println(export(MasterAddress.ENV_TOKEN_FILE, t.tokenFile())));
      return 0;
    }

    /** The master, each worker, and the admin client. */
    private static List<Component> components(ClusterConfig c) {
      List<Component> out = new ArrayList<>();
      out.add(
          new Component(
              "master",
              CertificateAuthority.Kind.MASTER,
              Optional.empty(),
              List.of(c.master().host())));
      for (WorkerConfig w : c.workers()) {
        out.add(
            new Component(
                w.id(), CertificateAuthority.Kind.WORKER, Optional.empty(), List.of(w.host())));
      }
      out.add(
          new Component(
              ADMIN_CLIENT,
              CertificateAuthority.Kind.CLIENT,
              Optional.of(Role.ADMIN.configName()),
              List.of()));
      return out;
    }
  }

  /** One certificate to issue. */
  record Component(
      String name, CertificateAuthority.Kind kind, Optional<String> role, List<String> hosts) {}

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = {
        "Issues one more certificate and key, NAME.crt and NAME.key, from the CA in the folder"
            + " (ca.crt, ca.key): a new worker's, a client's, or a replacement (--force) when one"
            + " is rotated. With --config, a NAME the config lists (master or a worker id) gets its"
            + " kind and host from it."
      })
  static final class Issue implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "the component: master, a worker's id, or a client's name (its CN)")
    String name;

    @Option(
        names = "--kind",
        paramLabel = "KIND",
        description = "master, worker or client (default with --config: from the config)")
    String kind;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        description = "a client's role: submit, operate or admin (required for a client)")
    String role;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description =
            "a name or IP address others dial the master or worker at (repeatable; default with"
                + " --config: its host)")
    List<String> hosts = new ArrayList<>();

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "the folder holding the CA (default: the config's security.tls.dir)")
    Path dir;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "a cluster config: its security.tls.dir, and the kind and host of NAME")
    Path config;

    @Option(
        names = "--days",
        paramLabel = "N",
        defaultValue = DEFAULT_DAYS,
        description = "how long the certificate is valid, in days (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--force", description = "replace NAME.crt and NAME.key if they exist")
    boolean force;

    @Override
    public Integer call() {
      var cl = spec.commandLine();
      Duration validity = days(cl, days);
      CertFolder.checkName("NAME", name);
      ClusterConfig c = config == null ? null : load(config);
      CertificateAuthority.Kind k = kind(cl, c);
      Optional<String> r = role(cl, k);
      List<String> h = hosts.isEmpty() && c != null ? configHosts(c) : List.copyOf(hosts);
      if (k != CertificateAuthority.Kind.CLIENT && h.isEmpty()) {
        throw new CommandLine.ParameterException(
            cl,
            "a "
                + k.name().toLowerCase(Locale.ROOT)
                + " certificate needs --host HOST: the name or address others dial it at");
      }
      CertFolder folder = folder(dir, c, config);
      CertificateAuthority ca = folder.loadAuthority();
      CertFolder.refuseExisting(folder.files(List.of(name)), force);
      folder.write(name, ca.issue(name, k, r, h, validity));
      cl.getErr()
          .println(
              "wrote "
                  + name
                  + " ("
                  + describe(k, r, h)
                  + "): "
                  + folder.certificate(name)
                  + ", "
                  + folder.key(name));
      cl.getErr().flush();
      if (k == CertificateAuthority.Kind.CLIENT) {
        cl.getOut().println(export("SLUICE_CA_FILE", folder.certificate(CertFolder.CA)));
        cl.getOut().println(export("SLUICE_CERT_FILE", folder.certificate(name)));
        cl.getOut().println(export("SLUICE_KEY_FILE", folder.key(name)));
      }
      return 0;
    }

    private CertificateAuthority.Kind kind(CommandLine cl, ClusterConfig c) {
      String given = kind;
      if (given == null && c != null) {
        if (name.equals("master")) {
          given = "master";
        } else if (c.findWorker(name).isPresent()) {
          given = "worker";
        }
      }
      if (given == null) {
        throw new CommandLine.ParameterException(
            cl,
            "--kind is required (master, worker or client)"
                + (c == null ? "" : ": " + name + " is neither master nor a worker of " + config));
      }
      return switch (given.toLowerCase(Locale.ROOT)) {
        case "master" -> CertificateAuthority.Kind.MASTER;
        case "worker" -> CertificateAuthority.Kind.WORKER;
        case "client" -> CertificateAuthority.Kind.CLIENT;
        default ->
            throw new CommandLine.ParameterException(
                cl, "--kind must be master, worker or client, got '" + given + "'");
      };
    }

    private Optional<String> role(CommandLine cl, CertificateAuthority.Kind k) {
      if (k != CertificateAuthority.Kind.CLIENT) {
        if (role != null) {
          throw new CommandLine.ParameterException(
              cl, "--role is for client certificates only (--kind client)");
        }
        return Optional.empty();
      }
      Role r = role == null ? null : Role.named(role);
      if (r == null) {
        throw new CommandLine.ParameterException(
            cl,
            role == null
                ? "a client certificate needs --role: submit, operate or admin"
                : "--role must be submit, operate or admin, got '" + role + "'");
      }
      return Optional.of(r.configName());
    }

    private List<String> configHosts(ClusterConfig c) {
      if (name.equals("master")) {
        return List.of(c.master().host());
      }
      return c.findWorker(name).map(w -> List.of(w.host())).orElse(List.of());
    }
  }
}
