package io.sluice.runtime.aws;

/**
 * Test credentials and region for the AWS SDK's default chains, as system properties (the first
 * link of both chains, so they win over anything in the environment). They are never valid AWS
 * credentials: the tests only talk to local endpoints, which do not check signatures.
 */
final class TestCredentials {
  private TestCredentials() {}

  static void install() {
    System.setProperty("aws.accessKeyId", "AKIDSLUICETEST");
    System.setProperty("aws.secretAccessKey", "sluice-test-secret");
    System.setProperty("aws.region", "us-east-1");
  }
}
