package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where a moved part's events go, and whose events are refused. */
class PartMovesTest {
  @Test
  void nothingMovedSendsEveryPartToItsOwnWorkerAndFencesNobody() {
    PartMoves m = new PartMoves();
    assertThat(m.target("i1", "w2")).isEqualTo("w2");
    assertThat(m.fenced("i1", "w2")).isFalse();
  }

  @Test
  void aMovedPartGoesToItsHeirAndItsDeadWorkerIsFencedForThatInstanceOnly() {
    PartMoves m = new PartMoves();
    m.moved("i1", "w2", "w3");
    assertThat(m.target("i1", "w2")).isEqualTo("w3");
    assertThat(m.target("i2", "w2")).isEqualTo("w2");
    assertThat(m.fenced("i1", "w2")).isTrue();
    assertThat(m.fenced("i2", "w2")).isFalse();
    assertThat(m.fenced("i1", "w3")).isFalse();
    assertThat(m.fencedEvents()).isEqualTo(1);
  }

  @Test
  void anHeirThatDiesInTurnIsFencedTooEvenIfItHeldNoPartOfItsOwn() {
    PartMoves m = new PartMoves();
    m.moved("i1", "w2", "w3");
    m.moved("i1", "w2", "w1"); // w3 died holding only w2's part
    assertThat(m.target("i1", "w2")).isEqualTo("w1");
    assertThat(m.fenced("i1", "w3")).isTrue();
    assertThat(m.fenced("i1", "w2")).isTrue();
    assertThat(m.fenced("i1", "w1")).isFalse();
  }

  @Test
  void anEndedInstanceIsForgotten() {
    PartMoves m = new PartMoves();
    m.moved("i1", "w2", "w3");
    m.forget("i1");
    assertThat(m.target("i1", "w2")).isEqualTo("w2");
    assertThat(m.fenced("i1", "w2")).isFalse();
  }
}
