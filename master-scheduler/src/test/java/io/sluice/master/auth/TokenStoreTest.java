package io.sluice.master.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokens file's parsing, its re-reading (at most once a second), and role decisions. */
class TokenStoreTest {
  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong();

  private void touch(Path f, long seconds) throws Exception {
    Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L + seconds * 1000));
  }

  @Test
  void reReadsAChangedFileAtMostOnceASecondAndKeepsEntriesWhenItBreaks() throws Exception {
    Path f = dir.resolve("tokens");
    Files.writeString(f, "a submit " + TokenHash.of("t-a") + "\n");
    touch(f, 0);
    TokenStore store = new TokenStore(f, nanos::get);
    assertThat(store.authenticate("t-a").name()).isEqualTo("a");
    assertThat(store.authenticate("t-b")).isNull();

    Files.writeString(f, "b admin " + TokenHash.of("t-b") + "\n");
    touch(f, 1);
    nanos.addAndGet(500_000_000L); // within the second: not checked yet
    assertThat(store.authenticate("t-b")).isNull();
    nanos.addAndGet(600_000_000L);
    assertThat(store.authenticate("t-b").role()).isEqualTo(Role.ADMIN);
    assertThat(store.authenticate("t-a")).isNull();

    Files.writeString(f, "b admin sha256:nothex\n");
    touch(f, 2);
    nanos.addAndGet(2_000_000_000L);
    assertThat(store.authenticate("t-b")).as("kept after a broken edit").isNotNull();
  }

  @Test
  void aMalformedFileFailsAtStartWithItsLine() throws Exception {
    Path f = dir.resolve("tokens");
    Files.writeString(f, "# c\n\na superuser " + TokenHash.of("x") + "\n");
    assertThatThrownBy(() -> TokenStore.open(f))
        .hasMessage(f + ":3: role 'superuser' is not one of submit, operate, admin");
  }

  @Test
  void decidesByBearerTokenAndRole() throws Exception {
    Path f = dir.resolve("tokens");
    Files.writeString(f, "op operate " + TokenHash.of("t-op") + "\n");
    TokenStore store = TokenStore.open(f);
    assertThat(AuthInterceptor.decide(store, "Cancel", "Bearer t-op").refusal()).isNull();
    assertThat(AuthInterceptor.decide(store, "Cancel", "bearer  t-op ").refusal()).isNull();
    assertThat(AuthInterceptor.decide(store, "Cancel", "Basic t-op").refusal().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(AuthInterceptor.decide(store, "Cancel", null).refusal().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    Status drain = AuthInterceptor.decide(store, "DrainWorker", "Bearer t-op").refusal();
    assertThat(drain.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(drain.getDescription())
        .isEqualTo("DrainWorker needs role admin; op has role operate");
    assertThat(RpcRoles.needed("SomeFutureCall")).isEqualTo(Role.ADMIN);
    assertThat(RpcRoles.needed("GetInstance")).isEqualTo(Role.SUBMIT);
  }
}
