package io.sluice.cluster.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM in and out for the cluster's key material: certificates ({@code CERTIFICATE} blocks, a chain
 * leaf first), private keys (PKCS#8 {@code PRIVATE KEY}; an OpenSSL {@code EC PRIVATE KEY} is read
 * too), and writing a key file that only its owner can read.
 */
public final class Pem {
  private Pem() {}

  /** The certificates of a PEM text, in order (a chain: leaf first). */
  public static List<X509Certificate> certificates(String pem) {
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c : f.generateCertificates(new java.io.ByteArrayInputStream(bytes(pem)))) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not PEM certificates: " + e.getMessage(), e);
    }
  }

  /**
   * The certificates of a PEM file.
   *
   * @throws UncheckedIOException naming the file when it cannot be read
   * @throws IllegalArgumentException naming the file when it holds no certificate
   */
  public static List<X509Certificate> readCertificates(Path file) {
    List<X509Certificate> out;
    try {
      out = certificates(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read certificate file " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no PEM certificate");
    }
    return out;
  }

  /** The private key of a PEM text (PKCS#8, or an OpenSSL EC/RSA key pair). */
  public static PrivateKey privateKey(String pem) {
    try (PEMParser p = new PEMParser(reader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return conv.getKeyPair(pair).getPrivate();
      }
      throw new IllegalArgumentException(
          "expected a PEM PRIVATE KEY, found " + (o == null ? "nothing" : o.getClass().getName()));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
  }

  /** The private key of a PEM file; errors name the file. */
  public static PrivateKey readPrivateKey(Path file) {
    try {
      return privateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key file " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** PEM of certificates, in order. */
  public static String of(List<X509Certificate> certificates) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      for (X509Certificate c : certificates) {
        w.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  /** PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) of an unencrypted private key. */
  public static String of(PrivateKey key) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  /**
   * Writes {@code text} to {@code file} (its folder created), replacing it atomically so a reader
   * watching the file never sees half of it.
   *
   * @param secret true for a private key: mode 0600 from the first byte where the file system has
   *     POSIX permissions
   */
  public static void write(Path file, String text, boolean secret) {
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      if (secret && abs.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + abs + ": " + e, e);
    }
  }

  /**
   * Checks that {@code key} is the private key of {@code certificate} (signs and verifies).
   *
   * @throws IllegalArgumentException with {@code mismatch} when it is not
   */
  public static void checkKeyPair(X509Certificate certificate, PrivateKey key, String mismatch) {
    String alg =
        key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
    try {
      var sig = java.security.Signature.getInstance(alg);
      byte[] probe = "sluice".getBytes(StandardCharsets.US_ASCII);
      sig.initSign(key);
      sig.update(probe);
      byte[] s = sig.sign();
      sig.initVerify(certificate.getPublicKey());
      sig.update(probe);
      if (!sig.verify(s)) {
        throw new IllegalArgumentException(mismatch);
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException(mismatch + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(String pem) {
    return pem.getBytes(StandardCharsets.US_ASCII);
  }

  private static Reader reader(String pem) {
    return new StringReader(pem);
  }
}
