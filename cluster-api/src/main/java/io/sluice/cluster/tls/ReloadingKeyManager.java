package io.sluice.cluster.tls;

import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents this component's certificate chain ({@code N.crt}) and key ({@code N.key}), read again
 * when the files change. Each reload gets its own alias so that a handshake that asked for the
 * chain before a reload gets the matching key after it.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private record Material(String alias, X509Certificate[] chain, PrivateKey key) {}

  private final Reloading<Material> material;
  private volatile Material latest;
  private volatile Material previous;

  ReloadingKeyManager(Path certificate, Path key) {
    long[] counter = {0};
    this.material =
        new Reloading<>(
            List.of(certificate, key),
            () -> {
              List<X509Certificate> chain = Pem.readCertificates(certificate);
              PrivateKey k = Pem.readPrivateKey(key);
              Pem.checkKeyPair(chain.get(0), k, key + " is not the key of " + certificate);
              return new Material(
                  "sluice-" + (++counter[0]), chain.toArray(X509Certificate[]::new), k);
            });
  }

  /** The certificate presented now. */
  X509Certificate certificate() {
    return current().chain()[0];
  }

  private Material current() {
    Material m = material.get();
    Material l = latest;
    if (l != m) {
      synchronized (this) {
        if (latest != m) {
          previous = latest;
          latest = m;
        }
      }
    }
    return m;
  }

  private Material byAlias(String alias) {
    Material m = current();
    Material p = previous;
    return p != null && p.alias().equals(alias) ? p : m;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {current().alias()};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current().alias();
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return current().alias();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {current().alias()};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current().alias();
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return current().alias();
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return byAlias(alias).chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return byAlias(alias).key();
  }
}
