package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataKeyTest {
  @Test
  void keysRoundTripThroughText() {
    DataKey key = new DataKey("inst-1", "node", "out/part");
    assertThat(key.toString()).isEqualTo("inst-1/node/out/part");
    assertThat(DataKey.parse("inst-1/node/out/part")).isEqualTo(key);
    assertThatThrownBy(() -> new DataKey("a{b}", "n", "k")).hasMessageContaining("'{'");
  }
}
