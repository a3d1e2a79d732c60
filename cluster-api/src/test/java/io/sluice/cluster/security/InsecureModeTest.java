package io.sluice.cluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.SecurityConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** security: none listens on loopback only; any security section lifts that. */
class InsecureModeTest {
  @Test
  void loopbackAddressesAndNamesAreLoopback() {
    for (String h : new String[] {"127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"}) {
      assertThat(InsecureMode.loopback(h)).as(h).isTrue();
    }
    for (String h :
        new String[] {"0.0.0.0", "::", "10.0.0.10", "192.168.1.2", "", "no-such.invalid"}) {
      assertThat(InsecureMode.loopback(h)).as(h).isFalse();
    }
  }

  @Test
  void noneRefusesANonLoopbackHostNamingTheAddressAndTheKey() {
    assertThatThrownBy(() -> InsecureMode.check(SecurityConfig.NONE, "0.0.0.0", "master.host"))
        .isInstanceOf(InsecureMode.NotLoopbackException.class)
        .hasMessageStartingWith(
            "refusing to listen on 0.0.0.0 (master.host) with security: none: without a security"
                + " section only loopback addresses");
    assertThatCode(() -> InsecureMode.check(SecurityConfig.NONE, "127.0.0.1", "master.host"))
        .doesNotThrowAnyException();
    SecurityConfig on = new SecurityConfig(Optional.of("/tmp/tokens"));
    assertThatCode(() -> InsecureMode.check(on, "10.0.0.10", "master.host"))
        .doesNotThrowAnyException();
  }
}
