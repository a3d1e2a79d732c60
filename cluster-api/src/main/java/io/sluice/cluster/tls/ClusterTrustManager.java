package io.sluice.cluster.tls;

import io.sluice.cluster.tls.CertificateAuthority.Identity;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts exactly the cluster's CA bundle ({@code ca.crt}: one CA, or the old and the new one while
 * it is rotated), read again when it changes; and then checks who the peer is from its
 * certificate's subject instead of its host name: components are reached at addresses that vary
 * (network namespaces, relays), so a certificate names a component, not a host. A server is
 * accepted only when it is one of the expected kinds (the master, or a worker) and a client only
 * with a component certificate that may authenticate clients; which service it may call is the
 * {@link PeerGuard}'s decision. A refusal is logged at WARN, one line.
 */
final class ClusterTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTrustManager.class);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private record Anchors(PKIXParameters parameters, X509Certificate[] issuers) {}

  private final Path caFile;
  private final Set<Kind> servers;
  private final String owner;
  private final Reloading<Anchors> anchors;

  /**
   * @param caFile the CA bundle
   * @param servers the kinds of server this side may connect to (for a client side)
   * @param owner who trusts, for the log ("master", "worker w1", "client")
   */
  ClusterTrustManager(Path caFile, Set<Kind> servers, String owner) {
    this.caFile = caFile;
    this.servers = servers.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(servers);
    this.owner = owner;
    this.anchors = new Reloading<>(List.of(caFile), () -> read(caFile));
  }

  private static Anchors read(Path caFile) {
    List<X509Certificate> cas = Pem.readCertificates(caFile);
    Set<TrustAnchor> set = new LinkedHashSet<>();
    for (X509Certificate c : cas) {
      set.add(new TrustAnchor(c, null));
    }
    try {
      PKIXParameters p = new PKIXParameters(set);
      p.setRevocationEnabled(false);
      return new Anchors(p, cas.toArray(X509Certificate[]::new));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(caFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, CLIENT_AUTH, null, peer(engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, CLIENT_AUTH, null, socket == null ? "" : " " + socket.getRemoteSocketAddress());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, CLIENT_AUTH, null, "");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, SERVER_AUTH, servers, peer(engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, SERVER_AUTH, servers, socket == null ? "" : " " + socket.getRemoteSocketAddress());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, SERVER_AUTH, servers, "");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return anchors.get().issuers().clone();
  }

  private void check(X509Certificate[] chain, String usage, Set<Kind> kinds, String peer)
      throws CertificateException {
    String side = usage.equals(CLIENT_AUTH) ? "client" : "server";
    try {
      verify(chain, usage, kinds);
    } catch (CertificateException e) {
      LOG.warn("TLS: {} refused a {}{}: {}", owner, side, peer, e.getMessage());
      throw e;
    }
  }

  private void verify(X509Certificate[] chain, String usage, Set<Kind> kinds)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("it presented no certificate");
    }
    X509Certificate leaf = chain[0];
    String subject = leaf.getSubjectX500Principal().getName();
    Anchors a = anchors.get();
    List<X509Certificate> path = new ArrayList<>();
    Set<X509Certificate> cas = Set.of(a.issuers());
    for (X509Certificate c : chain) {
      if (!cas.contains(c)) {
        path.add(c); // the anchor itself is not part of the path
      }
    }
    try {
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), a.parameters());
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "certificate '"
              + subject
              + "' is not signed by the cluster's CA ("
              + caFile
              + "): "
              + e.getMessage(),
          e);
    }
    List<String> eku = leaf.getExtendedKeyUsage();
    if (eku != null && !eku.contains(usage)) {
      throw new CertificateException(
          "certificate '"
              + subject
              + "' may not be used as a TLS "
              + (usage.equals(CLIENT_AUTH) ? "client" : "server"));
    }
    Identity id;
    try {
      id = CertificateAuthority.identityOf(leaf);
    } catch (IllegalArgumentException e) {
      throw new CertificateException(e.getMessage(), e);
    }
    if (kinds != null && !kinds.contains(id.kind())) {
      throw new CertificateException(
          "certificate '"
              + subject
              + "' is a "
              + id.kind().unit()
              + "'s, expected a "
              + kinds.stream().map(Kind::unit).collect(Collectors.joining(" or ")));
    }
  }

  private static String peer(SSLEngine engine) {
    return engine == null || engine.getPeerHost() == null
        ? ""
        : " at "
            + engine.getPeerHost()
            + (engine.getPeerPort() > 0 ? ":" + engine.getPeerPort() : "");
  }

  @Override
  public String toString() {
    return owner + " trusting " + caFile + " " + Arrays.toString(servers.toArray());
  }
}
