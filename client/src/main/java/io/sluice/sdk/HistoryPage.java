package io.sluice.sdk;

import java.util.List;

/**
 * One page of an instance's history ({@link SluiceClient#historyPage}): its steps, the last seq
 * (pass it as {@code afterSeq} for the next page), whether more steps were there than the page
 * held, whether the instance has ended (no step will follow the last), and how many steps the
 * master did not keep (its per-instance cap, or a worker's full buffer).
 */
public record HistoryPage(
    List<HistoryStep> steps, long lastSeq, boolean more, boolean ended, long dropped) {}
