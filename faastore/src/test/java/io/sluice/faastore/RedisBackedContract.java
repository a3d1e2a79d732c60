package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract for a store that writes to a real redis-server: each test gets its own key prefix,
 * its keys are deleted afterwards, and "nothing left behind" also means no key under the prefix.
 */
abstract class RedisBackedContract extends DataStoreContract {
  protected URI uri;
  protected String prefix;

  /** The store mode under test. */
  protected abstract StoreMode mode();

  @Override
  @BeforeEach
  void openStore() {
    uri = RedisTestSupport.redisUri();
    prefix = RedisTestSupport.uniquePrefix();
    super.openStore();
  }

  @Override
  protected StoreConfig.Builder config() {
    return super.config().mode(mode()).redisUri(uri).keyPrefix(prefix);
  }

  @AfterEach
  void deleteLeftovers() {
    RedisTestSupport.deleteUnder(uri, prefix);
  }

  @Override
  protected void assertNothingLeftBehind() {
    assertThat(RedisTestSupport.keysUnder(uri, prefix)).isEmpty();
  }
}
