package io.sluice.cli;

import io.sluice.model.format.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code --master HOST:PORT} and {@code --connect-timeout} options of every client command.
 * {@code --master} defaults to the {@code SLUICE_MASTER} environment variable, so a shell that
 * works with one cluster sets it once.
 */
final class MasterAddress {
  /** The environment variable that gives {@code --master} its default. */
  static final String ENV = "SLUICE_MASTER";

  /**
   * How long a command waits for the master's connection when {@code --connect-timeout} is not
   * given.
   */
  static final String DEFAULT_CONNECT_TIMEOUT = "10s";

  @Option(
      names = "--master",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:" + ENV + "}",
      description =
          "the master's gRPC address: the host and grpcPort of the config's master (default: $"
              + ENV
              + ")")
  String address;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_CONNECT_TIMEOUT,
      description =
          "give up when the master does not answer within this long (e.g. 3s; default"
              + " ${DEFAULT-VALUE})")
  String connectTimeout = DEFAULT_CONNECT_TIMEOUT;

  /** The environment variable that gives {@code --token-file} its default. */
  static final String ENV_TOKEN_FILE = "SLUICE_TOKEN_FILE";

  /** How the options read the environment; tests replace it (Java cannot set variables). */
  static java.util.function.UnaryOperator<String> environment = System::getenv;

  @Option(
      names = "--token-file",
      paramLabel = "PATH",
      description =
          "a file holding the client token sent to a master that checks tokens (default: $"
              + ENV_TOKEN_FILE
              + "; docs/security.md)")
  String tokenFile;

  /** The token file given, or from {@code SLUICE_TOKEN_FILE}; null for none. */
  java.nio.file.Path tokenFile() {
    String f = tokenFile;
    if (f == null || f.isBlank()) {
      f = environment.apply(ENV_TOKEN_FILE);
    }
    return f == null || f.isBlank() ? null : java.nio.file.Path.of(f.strip());
  }

  /** The environment variable that gives {@code --ca-file} its default. */
  static final String ENV_CA_FILE = "SLUICE_CA_FILE";

  /** The environment variables naming a client certificate and its key (both or neither). */
  static final String ENV_CERT_FILE = "SLUICE_CERT_FILE";

  static final String ENV_KEY_FILE = "SLUICE_KEY_FILE";

  @Option(
      names = "--ca-file",
      paramLabel = "PATH",
      description =
          "the cluster's CA certificate (ca.crt): talk TLS to a master with security.tls and trust"
              + " only this CA (default: $"
              + ENV_CA_FILE
              + "; a client certificate from $"
              + ENV_CERT_FILE
              + " and $"
              + ENV_KEY_FILE
              + "; docs/security.md)")
  String caFile;

  /**
   * The TLS credentials to reach the master with: the CA from {@code --ca-file} or {@code
   * SLUICE_CA_FILE}, a client certificate from {@code SLUICE_CERT_FILE} and {@code
   * SLUICE_KEY_FILE}; empty for plaintext.
   */
  java.util.Optional<io.sluice.cluster.tls.TlsContexts> tls(CommandLine cl) {
    String ca = caFile == null || caFile.isBlank() ? environment.apply(ENV_CA_FILE) : caFile;
    if (ca == null || ca.isBlank()) {
      return java.util.Optional.empty();
    }
    java.util.Optional<java.nio.file.Path> cert = pathFrom(ENV_CERT_FILE);
    java.util.Optional<java.nio.file.Path> key = pathFrom(ENV_KEY_FILE);
    try {
      return java.util.Optional.of(
          io.sluice.cluster.tls.TlsContexts.client(java.nio.file.Path.of(ca.strip()), cert, key));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          cl,
          "--ca-file/"
              + ENV_CERT_FILE
              + "/"
              + ENV_KEY_FILE
              + ": "
              + e.getMessage()
              + " (a client certificate needs both "
              + ENV_CERT_FILE
              + " and "
              + ENV_KEY_FILE
              + ")");
    }
  }

  private java.util.Optional<java.nio.file.Path> pathFrom(String variable) {
    String v = environment.apply(variable);
    return v == null || v.isBlank()
        ? java.util.Optional.empty()
        : java.util.Optional.of(java.nio.file.Path.of(v.strip()));
  }

  /** The address given, or from {@code SLUICE_MASTER}; missing is a command-line error. */
  String address(CommandLine cl) {
    if (address == null || address.isBlank()) {
      throw new CommandLine.ParameterException(
          cl, "--master HOST:PORT is required (or set " + ENV + "=HOST:PORT)");
    }
    return address.trim();
  }

  /** The connect deadline; a bad or non-positive duration is a command-line error. */
  Duration connectTimeout(CommandLine cl) {
    Duration d;
    try {
      d = Durations.parse(connectTimeout);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--connect-timeout: " + e.getMessage());
    }
    if (d.isZero() || d.isNegative()) {
      throw new CommandLine.ParameterException(
          cl, "--connect-timeout must be longer than 0, got '" + connectTimeout + "'");
    }
    return d;
  }
}
