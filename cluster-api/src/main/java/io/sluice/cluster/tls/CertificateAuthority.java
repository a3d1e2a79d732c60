package io.sluice.cluster.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's certificate authority: an EC P-256 key and its self-signed certificate, which signs
 * the certificate of every component (master, workers, clients). Mutual TLS between components
 * (docs/security.md, "TLS between components") trusts exactly this CA and then reads who a peer is
 * from its certificate's subject ({@link #identityOf}): {@code CN=<component name>,
 * OU=master|worker |client} and, for a client, {@code O=<role>}.
 *
 * <p>Only the JDK's providers are used to make keys and sign; BouncyCastle builds the certificates
 * and reads and writes PEM (no security provider is installed).
 */
public final class CertificateAuthority {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]+");
  private static final Duration BACKDATE = Duration.ofMinutes(5); // clocks a little apart
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a certificate is for; its {@code OU}. */
  public enum Kind {
    MASTER,
    WORKER,
    CLIENT;

    /** The {@code OU} value: {@code master}, {@code worker} or {@code client}. */
    public String unit() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind whose {@link #unit()} is {@code ou}, or empty. */
    public static Optional<Kind> ofUnit(String ou) {
      for (Kind k : values()) {
        if (k.unit().equals(ou)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * An issued certificate and its key.
   *
   * @param certificateChainPem the certificate then the CA's, PEM
   * @param privateKeyPem its private key, PKCS#8 PEM
   */
  public record Issued(String certificateChainPem, String privateKeyPem) {
    /** Writes the chain to {@code cert} and the key to {@code key} (mode 0600). */
    public void write(Path cert, Path key) {
      Pem.write(key, privateKeyPem, true);
      Pem.write(cert, certificateChainPem, false);
    }

    /** The certificate itself (the chain's first). */
    public X509Certificate certificate() {
      return Pem.certificates(certificateChainPem).get(0);
    }
  }

  /**
   * Who a certificate says its holder is.
   *
   * @param name the {@code CN}: {@code master}, a worker's id, a client's name
   * @param kind the {@code OU}
   * @param role a client's {@code O} (submit, operate, admin), empty for others
   */
  public record Identity(String name, Kind kind, Optional<String> role) {
    @Override
    public String toString() {
      return kind.unit() + " " + name + role.map(r -> " (" + r + ")").orElse("");
    }
  }

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /**
   * A new CA for {@code clusterName} (its subject {@code CN=<clusterName> CA, OU=ca}): an EC P-256
   * key, self-signed, {@code CA:true} with {@code keyCertSign}, valid for {@code validity}.
   */
  public static CertificateAuthority create(String clusterName, Duration validity) {
    KeyPair pair = newKeyPair();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.CN, clusterName + " CA")
            .addRDN(BCStyle.OU, "ca")
            .build();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA for " + clusterName + ": " + e, e);
    }
  }

  /**
   * The CA whose certificate (PEM) and private key (PKCS#8 PEM) are in these files.
   *
   * @throws IllegalArgumentException naming the file when one is not what it should be, or the key
   *     does not belong to the certificate
   */
  public static CertificateAuthority load(Path caCert, Path caKey) {
    X509Certificate cert = Pem.readCertificates(caCert).get(0);
    PrivateKey key = Pem.readPrivateKey(caKey);
    if (cert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(caCert + " is not a CA certificate (no CA:true)");
    }
    CertificateAuthority ca = new CertificateAuthority(cert, key);
    Pem.checkKeyPair(cert, key, caKey + " is not the key of " + caCert);
    return ca;
  }

  /** Writes the CA's certificate (PEM) and private key (PKCS#8 PEM, mode 0600). */
  public void write(Path caCert, Path caKey) {
    Pem.write(caKey, Pem.of(key), true);
    Pem.write(caCert, certificatePem(), false);
  }

  /** The CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's certificate, PEM (what {@code ca.crt} holds). */
  public String certificatePem() {
    return Pem.of(List.of(certificate));
  }

  /**
   * A certificate for component {@code name}.
   *
   * @param name the {@code CN}: {@code master}, a worker's id or a client's name (letters, digits,
   *     '.', '_', '@', '-')
   * @param kind the {@code OU}; a master or worker certificate serves and dials (serverAuth and
   *     clientAuth), a client's only dials (clientAuth)
   * @param role a client's role ({@code O}); ignored for master and worker
   * @param hosts the names and IP addresses others reach it by (subject alternative names); a
   *     master's or worker's always include {@code 127.0.0.1} and {@code localhost}
   * @param validity how long it is valid (from now)
   */
  public Issued issue(
      String name, Kind kind, Optional<String> role, List<String> hosts, Duration validity) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "component name '" + name + "' must be letters, digits, '.', '_', '@' or '-'");
    }
    KeyPair pair = newKeyPair();
    X500NameBuilder subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.CN, name)
            .addRDN(BCStyle.OU, kind.unit());
    if (kind == Kind.CLIENT && role.isPresent()) {
      subject.addRDN(BCStyle.O, role.get());
    }
    Set<String> names = new LinkedHashSet<>();
    if (kind != Kind.CLIENT) {
      names.add("127.0.0.1");
      names.add("localhost");
    }
    hosts.stream().map(String::strip).filter(h -> !h.isEmpty()).forEach(names::add);
    List<GeneralName> san = new ArrayList<>();
    for (String h : names) {
      san.add(new GeneralName(isIp(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
    }
    KeyPurposeId[] purposes =
        kind == Kind.CLIENT
            ? new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}
            : new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  subject.build(),
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate));
      if (!san.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(san.toArray(GeneralName[]::new)));
      }
      X509Certificate leaf = sign(b, key);
      return new Issued(Pem.of(List.of(leaf, certificate)), Pem.of(pair.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + name + ": " + e, e);
    }
  }

  /**
   * Who {@code certificate} names: its {@code CN}, {@code OU} and {@code O}. It does not check the
   * signature (the TLS handshake did that against the cluster's CA).
   *
   * @throws IllegalArgumentException when the subject has no {@code CN} or its {@code OU} is not
   *     master, worker or client
   */
  public static Identity identityOf(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    Optional<String> cn = first(subject, BCStyle.CN);
    Optional<String> ou = first(subject, BCStyle.OU);
    if (cn.isEmpty()) {
      throw new IllegalArgumentException("certificate '" + subject + "' has no CN");
    }
    Kind kind =
        ou.flatMap(Kind::ofUnit)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "certificate '"
                            + subject
                            + "' is not a Sluice component's (OU is not master, worker or client)"));
    Optional<String> role = kind == Kind.CLIENT ? first(subject, BCStyle.O) : Optional.empty();
    return new Identity(cn.get(), kind, role);
  }

  private static Optional<String> first(X500Name name, ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    if (rdns.length == 0) {
      return Optional.empty();
    }
    ASN1Encodable v = rdns[0].getFirst().getValue();
    return Optional.of(IETFUtils.valueToString(v));
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 keys are not available: " + e, e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static boolean isIp(String host) {
    if (host.contains(":")) {
      return true; // IPv6 literal
    }
    if (!host.matches("[0-9.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(host) != null;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
