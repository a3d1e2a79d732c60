package io.sluice.cluster.durable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal contract on {@link MemoryJournal}, and {@link Journal#NONE}. */
class MemoryJournalTest extends JournalContract {
  private final MemoryJournal journal = new MemoryJournal();

  @Override
  Journal journal() {
    return journal;
  }

  @Override
  Journal peer() {
    return journal;
  }

  @Test
  void aSecondOutcomeIsCountedAsADuplicateCall() throws Exception {
    String id = newId();
    join(journal.called(id, "k", CallOutcome.completed(json("1"))));
    join(journal.called(id, "k", CallOutcome.completed(json("2"))));
    assertThat(journal.duplicateCalls()).isEqualTo(1);
  }

  @Test
  void noneRecordsNothingAndAnswersWithTheOfferedOutcome() throws Exception {
    String id = newId();
    join(Journal.NONE.started(record(id, 1)));
    CallOutcome o = CallOutcome.completed(json("7"));
    assertThat(join(Journal.NONE.called(id, "k", o))).isSameAs(o);
    join(Journal.NONE.accepted(List.of(edge(id, 0, null))));
    assertThat(join(Journal.NONE.load(id))).isEmpty();
    assertThat(join(Journal.NONE.running())).isEmpty();
  }
}
