package io.sluice.master.auth;

import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.cluster.tls.CertificateAuthority;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Client certificates as credentials (docs/security.md): a certificate the TLS handshake verified
 * against the cluster's CA whose subject says {@code OU=client} names its holder ({@code CN}) and
 * role ({@code O}: submit, operate or admin), the contract of {@link CertificateAuthority}. Master
 * and worker certificates are not client credentials.
 */
public final class ClientCertificates {
  private ClientCertificates() {}

  /**
   * The caller a TLS session's peer certificate names, or empty: no session, no certificate, or not
   * a client's.
   *
   * @throws IllegalArgumentException when a client certificate has no role or an unknown one
   */
  public static Optional<TokenFile.Entry> caller(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty(); // the client sent none (the port accepts one optionally)
    }
    return peer == null || peer.length == 0 || !(peer[0] instanceof X509Certificate x)
        ? Optional.empty()
        : caller(x);
  }

  /**
   * The caller {@code certificate} names (its signature is the handshake's business), or empty when
   * it is not a client's ({@code OU} master or worker, or unreadable).
   *
   * @throws IllegalArgumentException when it is a client's with no role or an unknown one
   */
  public static Optional<TokenFile.Entry> caller(X509Certificate certificate) {
    CertificateAuthority.Identity id;
    try {
      id = CertificateAuthority.identityOf(certificate);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (id.kind() != CertificateAuthority.Kind.CLIENT) {
      return Optional.empty();
    }
    Role role = id.role().map(Role::named).orElse(null);
    if (role == null) {
      throw new IllegalArgumentException(
          "client certificate CN="
              + id.name()
              + " has "
              + id.role().map(r -> "the unknown role O=" + r).orElse("no role")
              + "; issue it with O=submit, operate or admin (sluice certs issue)");
    }
    // no token hash: the certificate, not a tokens file entry, is the credential
    return Optional.of(new TokenFile.Entry(id.name(), role, new byte[0]));
  }
}
