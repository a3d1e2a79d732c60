package io.sluice.sdk;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.time.Duration;
import java.util.function.Function;

/**
 * How a {@link SluiceClient} connects ({@link SluiceClient#builder()}).
 *
 * <ul>
 *   <li>{@link #target}: the master's gRPC address, {@code HOST:PORT} (a cluster config's master
 *       host and grpcPort); default the {@code SLUICE_MASTER} environment variable, as {@code
 *       bin/sluice} does;
 *   <li>{@link #deadline}: the longest each call may take (default 30 s); {@code await} and {@code
 *       watch} have none: they last as long as the instance;
 *   <li>{@link #maxAttempts} and {@link #retryBackoff}: idempotent calls (all but none: see
 *       docs/client.md) are tried up to this many times while the master is UNAVAILABLE, waiting
 *       the backoff, then twice as long each time, at most 5 s (default 4 attempts from 200 ms);
 *   <li>{@link #channelCredentials} and {@link #callCredentials}: plaintext by default. The slot
 *       for TLS and tokens: gRPC's own credential objects (e.g. {@code TlsChannelCredentials}, a
 *       {@code CallCredentials} that adds a bearer token), passed through unchanged. The master
 *       serves plaintext only until the security issue (13) lands; then these are how a client uses
 *       it;
 *   <li>{@link #tokenFile}: the file holding the client's token (docs/security.md), sent as {@code
 *       authorization: Bearer TOKEN} with every call; default the {@code SLUICE_TOKEN_FILE}
 *       environment variable. Ignored when {@link #callCredentials} are given.
 * </ul>
 */
public final class SluiceClientBuilder {
  /** The environment variable that gives {@link #target} its default. */
  public static final String ENV_MASTER = "SLUICE_MASTER";

  /** The environment variable that gives {@link #trustCa} its default. */
  public static final String ENV_CA_FILE = "SLUICE_CA_FILE";

  /** The environment variables that give {@link #clientCertificate} its default. */
  public static final String ENV_CERT_FILE = "SLUICE_CERT_FILE";

  public static final String ENV_KEY_FILE = "SLUICE_KEY_FILE";

  /** The environment variable that gives {@link #tokenFile} its default. */
  public static final String ENV_TOKEN_FILE = "SLUICE_TOKEN_FILE";

  /** The master's largest message (an output of 256 MB plus the envelope), as the cluster's. */
  static final int MAX_MESSAGE_BYTES = (256 << 20) + (8 << 20);

  private final Function<SluiceClientBuilder, SluiceClient> factory;
  private String target = System.getenv(ENV_MASTER);
  private Duration deadline = Duration.ofSeconds(30);
  private int maxAttempts = 4;
  private Duration retryBackoff = Duration.ofMillis(200);
  private ChannelCredentials channelCredentials = InsecureChannelCredentials.create();
  private CallCredentials callCredentials;
  private java.nio.file.Path tokenFile = tokenFileFrom(System.getenv(ENV_TOKEN_FILE));
  private boolean credentialsGiven;
  private java.nio.file.Path caFile = tokenFileFrom(System.getenv(ENV_CA_FILE));
  private java.nio.file.Path certFile = tokenFileFrom(System.getenv(ENV_CERT_FILE));
  private java.nio.file.Path keyFile = tokenFileFrom(System.getenv(ENV_KEY_FILE));
  private int maxInboundMessageSize = MAX_MESSAGE_BYTES;

  SluiceClientBuilder(Function<SluiceClientBuilder, SluiceClient> factory) {
    this.factory = factory;
  }

  /** The file holding the client's token; null for none (overrides {@code SLUICE_TOKEN_FILE}). */
  public SluiceClientBuilder tokenFile(java.nio.file.Path file) {
    this.tokenFile = file;
    return this;
  }

  private static java.nio.file.Path tokenFileFrom(String env) {
    return env == null || env.isBlank() ? null : java.nio.file.Path.of(env.strip());
  }

  /** The master's gRPC address, {@code HOST:PORT}. */
  public SluiceClientBuilder target(String hostPort) {
    this.target = hostPort;
    return this;
  }

  public SluiceClientBuilder deadline(Duration perCall) {
    if (perCall.isNegative() || perCall.isZero()) {
      throw new IllegalArgumentException("deadline must be longer than 0, got " + perCall);
    }
    this.deadline = perCall;
    return this;
  }

  /** Attempts of an idempotent call while the master is UNAVAILABLE (1 = no retry). */
  public SluiceClientBuilder maxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + attempts);
    }
    this.maxAttempts = attempts;
    return this;
  }

  public SluiceClientBuilder retryBackoff(Duration first) {
    if (first.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must not be negative, got " + first);
    }
    this.retryBackoff = first;
    return this;
  }

  /**
   * The channel's credentials, as they are (default: plaintext, or TLS from {@link #trustCa}); they
   * override {@link #trustCa} and {@link #clientCertificate}.
   */
  public SluiceClientBuilder channelCredentials(ChannelCredentials credentials) {
    this.channelCredentials = credentials;
    this.credentialsGiven = true;
    return this;
  }

  /**
   * Talks TLS to a master with {@code security.tls}, trusting only the cluster's CA certificate in
   * {@code caFile} ({@code ca.crt}; default {@code SLUICE_CA_FILE}); null for plaintext. The
   * master's certificate must name the host the client dials (standard host name verification).
   */
  public SluiceClientBuilder trustCa(java.nio.file.Path caFile) {
    this.caFile = caFile;
    return this;
  }

  /**
   * A client certificate ({@code OU=client}) and its PKCS#8 key presented over TLS (default {@code
   * SLUICE_CERT_FILE} and {@code SLUICE_KEY_FILE}); without one the client authenticates by token.
   */
  public SluiceClientBuilder clientCertificate(
      java.nio.file.Path certificate, java.nio.file.Path key) {
    this.certFile = certificate;
    this.keyFile = key;
    return this;
  }

  private ChannelCredentials tls() {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs both its certificate and key file ("
              + ENV_CERT_FILE
              + " and "
              + ENV_KEY_FILE
              + ")");
    }
    try {
      TlsChannelCredentials.Builder b =
          TlsChannelCredentials.newBuilder().trustManager(caFile.toFile());
      if (certFile != null) {
        b.keyManager(certFile.toFile(), keyFile.toFile());
      }
      return b.build();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "cannot read the TLS files (CA " + caFile + ", certificate " + certFile + "): " + e, e);
    }
  }

  /** Credentials added to every call (e.g. a bearer token), once the master checks them. */
  public SluiceClientBuilder callCredentials(CallCredentials credentials) {
    this.callCredentials = credentials;
    return this;
  }

  /** The largest answer accepted (default: the cluster's limit, 264 MB). */
  public SluiceClientBuilder maxInboundMessageSize(int bytes) {
    this.maxInboundMessageSize = bytes;
    return this;
  }

  /**
   * The client. It connects lazily: an unreachable master shows at the first call, as an {@link
   * UnavailableException} naming the address.
   *
   * @throws IllegalArgumentException when no target is given (nor {@code SLUICE_MASTER}), or it is
   *     not {@code HOST:PORT}, or the token file cannot be read
   */
  public SluiceClient build() {
    String t = target == null ? "" : target.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException(
          "no master address: call target(\"HOST:PORT\") or set " + ENV_MASTER + "=HOST:PORT");
    }
    int colon = t.lastIndexOf(':');
    String port = colon < 0 ? "" : t.substring(colon + 1);
    if (colon <= 0
        || !port.matches("\\d{1,5}")
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException(
          "the master address must be HOST:PORT with a port from 1 to 65535 (e.g."
              + " 127.0.0.1:17400), got '"
              + t
              + "'");
    }
    this.target = t;
    if (!credentialsGiven && caFile != null) {
      channelCredentials = tls();
    }
    if (callCredentials == null && tokenFile != null) {
      callCredentials = BearerToken.fromFile(tokenFile);
    }
    return factory.apply(this);
  }

  String target() {
    return target;
  }

  Duration deadline() {
    return deadline;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  Duration retryBackoff() {
    return retryBackoff;
  }

  ChannelCredentials channelCredentials() {
    return channelCredentials;
  }

  CallCredentials callCredentials() {
    return callCredentials;
  }

  int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }
}
