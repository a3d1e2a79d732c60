package io.sluice.master.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A client certificate's subject as the caller: CN the name, O the role; only OU=client counts. */
class ClientCertificatesTest {
  private static final Duration DAY = Duration.ofDays(1);
  private static final CertificateAuthority CA = CertificateAuthority.create("t", DAY);

  @Test
  void aClientCertificateNamesItsHolderAndRole() {
    var cert = CA.issue("alice", Kind.CLIENT, Optional.of("operate"), List.of(), DAY).certificate();
    TokenFile.Entry e = ClientCertificates.caller(cert).orElseThrow();
    assertThat(e.name()).isEqualTo("alice");
    assertThat(e.role()).isEqualTo(Role.OPERATE);
  }

  @Test
  void masterAndWorkerCertificatesAreNotClientCredentials() {
    var worker = CA.issue("w1", Kind.WORKER, Optional.empty(), List.of(), DAY).certificate();
    var master = CA.issue("master", Kind.MASTER, Optional.empty(), List.of(), DAY).certificate();
    assertThat(ClientCertificates.caller(worker)).isEmpty();
    assertThat(ClientCertificates.caller(master)).isEmpty();
    assertThat(ClientCertificates.caller((javax.net.ssl.SSLSession) null)).isEmpty();
  }

  @Test
  void aClientCertificateWithoutARoleIsRefusedWithItsName() {
    var cert = CA.issue("bob", Kind.CLIENT, Optional.empty(), List.of(), DAY).certificate();
    assertThatThrownBy(() -> ClientCertificates.caller(cert))
        .hasMessage(
            "client certificate CN=bob has no role; issue it with O=submit, operate or admin"
                + " (sluice certs issue)");
  }

  @Test
  void withoutATokenTheCertificatesCallerIsDecidedByItsRole() {
    var cert = CA.issue("ci", Kind.CLIENT, Optional.of("submit"), List.of(), DAY).certificate();
    var d =
        AuthInterceptor.decide(
            null, "Cancel", Role.OPERATE, null, () -> ClientCertificates.caller(cert));
    assertThat(d.caller().name()).isEqualTo("ci");
    assertThat(d.refusal().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(d.refusal().getDescription())
        .isEqualTo("Cancel needs role operate; ci has role submit");
    var ok =
        AuthInterceptor.decide(
            null, "Invoke", Role.SUBMIT, null, () -> ClientCertificates.caller(cert));
    assertThat(ok.refusal()).isNull();
    var none = AuthInterceptor.decide(null, "Invoke", Role.SUBMIT, null, Optional::empty);
    assertThat(none.refusal().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
