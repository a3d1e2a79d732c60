package io.sluice.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class as an integration test: it starts processes, needs Redis or another service
 * (scripts/services.sh), or runs a cluster of gRPC servers. Such classes carry the JUnit tag
 * {@value #TAG}; surefire leaves them out of {@code mvn test} and failsafe runs them in {@code mvn
 * verify} (see docs/testing.md). Everything without it must be a fast, self-contained unit test.
 */
@Inherited
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {
  /** The JUnit tag the root pom's surefire excludes and failsafe includes. */
  String TAG = "integration";
}
