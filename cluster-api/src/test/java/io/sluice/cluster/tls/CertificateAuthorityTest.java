package io.sluice.cluster.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.tls.CertificateAuthority.Identity;
import io.sluice.cluster.tls.CertificateAuthority.Issued;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;

  @Test
  void issuedCertificateValidatesAgainstItsCaAndCarriesTheIdentity() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test", DAY);
    Issued w1 = ca.issue("w1", Kind.WORKER, Optional.empty(), List.of("10.0.0.7", "w1.lan"), DAY);

    List<X509Certificate> chain = Pem.certificates(w1.certificateChainPem());
    assertThat(chain).hasSize(2);
    validate(chain.subList(0, 1), ca.certificate());
    assertThat(CertificateAuthority.identityOf(chain.get(0)))
        .isEqualTo(new Identity("w1", Kind.WORKER, Optional.empty()));
    assertThat(chain.get(0).getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(chain.get(0).getSubjectAlternativeNames())
        .extracting(l -> (Object) l.get(1))
        .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost", "10.0.0.7", "w1.lan");
    assertThat(chain.get(0).getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.certificate().getKeyUsage()[5]).as("keyCertSign").isTrue();
  }

  @Test
  void clientCertificateNamesItsRoleAndOnlyAuthenticatesClients() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test", DAY);
    X509Certificate c =
        ca.issue("alice", Kind.CLIENT, Optional.of("operate"), List.of(), DAY).certificate();
    assertThat(CertificateAuthority.identityOf(c))
        .isEqualTo(new Identity("alice", Kind.CLIENT, Optional.of("operate")));
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(c.getSubjectAlternativeNames()).isNull();
  }

  @Test
  void certificateFromAnotherCaDoesNotValidate() throws Exception {
    CertificateAuthority ours = CertificateAuthority.create("ours", DAY);
    CertificateAuthority theirs = CertificateAuthority.create("theirs", DAY);
    X509Certificate foreign =
        theirs.issue("w1", Kind.WORKER, Optional.empty(), List.of(), DAY).certificate();
    assertThatThrownBy(() -> validate(List.of(foreign), ours.certificate()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void caAndIssuedFilesRoundTripAndKeysAreOwnerOnly() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("test", DAY);
    ca.write(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    CertificateAuthority loaded =
        CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    assertThat(loaded.certificate()).isEqualTo(ca.certificate());

    loaded
        .issue("master", Kind.MASTER, Optional.empty(), List.of(), DAY)
        .write(dir.resolve("master.crt"), dir.resolve("master.key"));
    X509Certificate m = Pem.readCertificates(dir.resolve("master.crt")).get(0);
    validate(List.of(m), ca.certificate());
    assertThat(Pem.readPrivateKey(dir.resolve("master.key")).getAlgorithm()).isEqualTo("EC");
    assertThat(Files.readString(dir.resolve("master.key"))).startsWith("-----BEGIN PRIVATE KEY");
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      for (String key : List.of("ca.key", "master.key")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
            .as(key)
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void loadRefusesAKeyThatIsNotTheCertificates() {
    CertificateAuthority a = CertificateAuthority.create("a", DAY);
    CertificateAuthority b = CertificateAuthority.create("b", DAY);
    a.write(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    b.write(dir.resolve("b.crt"), dir.resolve("b.key"));
    assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("b.key")))
        .hasMessageContaining("b.key is not the key of");
  }

  @Test
  void identityOfACertificateThatIsNoComponentsIsRefused() {
    CertificateAuthority ca = CertificateAuthority.create("test", DAY);
    assertThatThrownBy(() -> CertificateAuthority.identityOf(ca.certificate()))
        .hasMessageContaining("OU is not master, worker or client");
    assertThatThrownBy(() -> ca.issue("a b", Kind.WORKER, Optional.empty(), List.of(), DAY))
        .hasMessageContaining("must be letters");
  }

  private static void validate(List<X509Certificate> path, X509Certificate anchor)
      throws Exception {
    PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    p.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), p);
  }
}
