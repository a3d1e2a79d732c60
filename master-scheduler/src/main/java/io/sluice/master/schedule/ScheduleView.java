package io.sluice.master.schedule;

import io.sluice.cluster.api.WorkflowKey;

/**
 * An armed schedule now, for {@code sluice list workflows} and tests.
 *
 * @param key the workflow version it starts
 * @param describe the schedule in one line ({@code every PT1H}, {@code cron 0 * * * *}, ...)
 * @param nextFireMillis when it fires next (epoch millis); -1 when it waits for events or for its
 *     instance to end ({@code after})
 * @param started instances it started
 * @param failed starts that failed
 * @param skipped firings skipped because its instances were at the bound
 */
public record ScheduleView(
    WorkflowKey key,
    String describe,
    long nextFireMillis,
    long started,
    long failed,
    long skipped) {}
