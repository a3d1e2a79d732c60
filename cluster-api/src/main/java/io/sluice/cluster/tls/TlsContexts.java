package io.sluice.cluster.tls;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.tls.CertificateAuthority.Identity;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gRPC credentials of one component: plaintext ({@link #PLAINTEXT}, a cluster without {@code
 * security.tls}: exactly as before, no cost), or mutual TLS from the files of {@code security.tls}
 * (docs/security.md, "TLS between components"): a server presents its certificate and asks the
 * caller for one signed by the cluster's CA; a channel presents the component's certificate (when
 * it has one) and trusts only the cluster's CA, then checks the server is the kind of component it
 * meant to reach (the master, a worker) instead of checking its host name. Certificates, keys and
 * the CA bundle are read again when their files change: rotation needs no restart.
 */
public final class TlsContexts {
  /** No TLS: every server and channel plaintext. */
  public static final TlsContexts PLAINTEXT = new TlsContexts(null, null, "plaintext");

  private final Path caFile;
  private final ReloadingKeyManager keys;
  private final String owner;
  private final Map<Kind, ClusterTrustManager> channelTrust = new ConcurrentHashMap<>();
  private final ClusterTrustManager serverTrust;

  private TlsContexts(Path caFile, ReloadingKeyManager keys, String owner) {
    this.caFile = caFile;
    this.keys = keys;
    this.owner = owner;
    this.serverTrust =
        caFile == null ? null : new ClusterTrustManager(caFile, EnumSet.noneOf(Kind.class), owner);
  }

  /**
   * Component {@code name}'s credentials ({@code master} or a worker's id) from {@code tls}, or
   * {@link #PLAINTEXT} without it.
   *
   * @throws IllegalArgumentException naming the missing or unreadable file
   */
  public static TlsContexts of(Optional<SecurityConfig.Tls> tls, String name) {
    return tls.map(t -> component(t, name)).orElse(PLAINTEXT);
  }

  /**
   * Component {@code name}'s credentials: {@code ca.crt}, {@code NAME.crt} and {@code NAME.key} of
   * {@code tls}'s folder.
   *
   * @throws IllegalArgumentException naming the missing or unreadable file
   */
  public static TlsContexts component(SecurityConfig.Tls tls, String name) {
    Path ca = tls.caCertificate();
    Path cert = tls.certificate(name);
    Path key = tls.privateKey(name);
    for (Path f : new Path[] {ca, cert, key}) {
      if (!Files.isReadable(f)) {
        throw new IllegalArgumentException(
            "security.tls: "
                + f
                + " is missing or unreadable; create the cluster's certificates with"
                + " 'sluice certs init --config FILE' (docs/security.md)");
      }
    }
    return new TlsContexts(ca, new ReloadingKeyManager(cert, key), name);
  }

  /**
   * A client's credentials: trust the CA in {@code caFile}; present {@code certificate} and {@code
   * key} when given (a client certificate, {@code OU=client}), else none (the client authenticates
   * by token).
   */
  public static TlsContexts client(Path caFile, Optional<Path> certificate, Optional<Path> key) {
    if (certificate.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(
          "a client certificate needs both its certificate and its key file");
    }
    if (!Files.isReadable(caFile)) {
      throw new IllegalArgumentException("CA file " + caFile + " is missing or unreadable");
    }
    ReloadingKeyManager keys =
        certificate.map(c -> new ReloadingKeyManager(c, key.orElseThrow())).orElse(null);
    return new TlsContexts(caFile, keys, "client");
  }

  /** Whether this is TLS (false: plaintext). */
  public boolean enabled() {
    return caFile != null;
  }

  /** Who this component's certificate says it is (empty: plaintext, or a client without one). */
  public Optional<Identity> identity() {
    return keys == null
        ? Optional.empty()
        : Optional.of(CertificateAuthority.identityOf(keys.certificate()));
  }

  /**
   * The credentials of a server: this component's certificate; callers must present a certificate
   * of the cluster's CA ({@code requireClientCertificate}), or may come without one (the master's
   * client port: clients may authenticate by token) but are refused with a certificate of another
   * CA. Which kind of caller may call which service is {@link PeerGuard}'s check.
   */
  public ServerCredentials server(boolean requireClientCertificate) {
    if (!enabled()) {
      return InsecureServerCredentials.create();
    }
    if (keys == null) {
      throw new IllegalStateException(owner + " has no certificate to serve TLS with");
    }
    return TlsServerCredentials.newBuilder()
        .keyManager(keys)
        .trustManager(serverTrust)
        .clientAuth(
            requireClientCertificate
                ? TlsServerCredentials.ClientAuth.REQUIRE
                : TlsServerCredentials.ClientAuth.OPTIONAL)
        .build();
  }

  /**
   * The credentials of a channel to a server of kind {@code server} ({@link Kind#MASTER} or {@link
   * Kind#WORKER}): the server's certificate must be of the cluster's CA and of that kind.
   */
  public ChannelCredentials channel(Kind server) {
    if (!enabled()) {
      return InsecureChannelCredentials.create();
    }
    ClusterTrustManager trust =
        channelTrust.computeIfAbsent(
            server, k -> new ClusterTrustManager(caFile, EnumSet.of(k), owner));
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(trust);
    if (keys != null) {
      b.keyManager(keys);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return enabled() ? "TLS as " + owner + " (CA " + caFile + ")" : "plaintext";
  }
}
