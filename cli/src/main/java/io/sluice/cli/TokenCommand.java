package io.sluice.cli;

import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice token hash|new}: the lines of a master's tokens file (docs/security.md, Client
 * tokens and roles). A token never comes from the command line, which {@code ps} shows.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Makes client tokens for a master that checks them (security: {tokens: FILE} in the"
          + " cluster config; docs/security.md).",
      "token new NAME ROLE prints a new random token on stdout (keep it in a file that"
          + " SLUICE_TOKEN_FILE or --token-file names) and the tokens file's line on stderr."
          + " token hash reads a token from stdin and prints sha256:HEX."
    },
    subcommands = {TokenCommand.Hash.class, TokenCommand.New.class})
final class TokenCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  /** Stdin; tests replace it. */
  static java.util.function.Supplier<InputStream> stdin = () -> System.in;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name what to do: sluice token new NAME ROLE, or sluice token hash");
  }

  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description = {
        "Reads a token from stdin (surrounding whitespace dropped) and prints its sha256:HEX, the"
            + " last field of a tokens file's line."
      })
  static final class Hash implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      String token = new String(stdin.get().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new CliFailure(
            Main.EXIT_INVALID, "no token on stdin (e.g. sluice token hash < FILE)");
      }
      spec.commandLine().getOut().println(TokenHash.of(token));
      return 0;
    }
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a new random token (32 bytes, base64url) on stdout and the line NAME ROLE"
            + " sha256:HEX to add to the tokens file on stderr."
      })
  static final class New implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the client's name in audit lines")
    String name;

    @Parameters(index = "1", paramLabel = "ROLE", description = "submit, operate or admin")
    String role;

    @Override
    public Integer call() {
      var cl = spec.commandLine();
      if (!name.matches("[A-Za-z0-9._@-]+")) {
        throw new CommandLine.ParameterException(
            cl, "NAME must be letters, digits, '.', '_', '@' or '-', got '" + name + "'");
      }
      Role r = Role.named(role);
      if (r == null) {
        throw new CommandLine.ParameterException(
            cl, "ROLE must be submit, operate or admin, got '" + role + "'");
      }
      String token = TokenHash.newToken();
      cl.getOut().println(token);
      cl.getOut().flush();
      cl.getErr().println(name + " " + r.configName() + " " + TokenHash.of(token));
      return 0;
    }
  }
}
