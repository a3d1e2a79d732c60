package io.sluice.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The chaos loop, on its own thread: every 2–5 s (seeded) it SIGKILLs a random worker and starts it
 * again about a second later under the same id (a new incarnation); once, when half of the
 * instances are submitted, it does the same to the master. It waits for the restarted process to
 * answer /health and for the master to count three live workers before the next kill, so one
 * process is down at a time. It stops once every instance is submitted and a tail has passed, when
 * every instance ended, or at its deadline.
 */
final class ChaosMonkey implements Runnable {
  /** One kill: the process, its pid and log, when (epoch ms), how many instances were unended. */
  record Kill(
      String name, long pid, Path log, long atMs, int inFlight, long healthyMs, long allLiveMs) {
    boolean master() {
      return name.equals("master");
    }
  }

  private static final Duration RESTART_HEALTH = Duration.ofSeconds(90);

  private final ChaosCluster cluster;
  private final ChaosLoad load;
  private final long seed;
  private final long tailMs;
  private final long deadlineNanos;
  private final List<Kill> kills = new ArrayList<>();
  private volatile boolean stopped;
  volatile Throwable failure;

  ChaosMonkey(ChaosCluster cluster, ChaosLoad load, long seed, long tailMs, long deadlineNanos) {
    this.cluster = cluster;
    this.load = load;
    this.seed = seed;
    this.tailMs = tailMs;
    this.deadlineNanos = deadlineNanos;
  }

  synchronized List<Kill> kills() {
    return List.copyOf(kills);
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) { // reported by the test
      failure = t;
    }
  }

  private boolean over() {
    return stopped || System.nanoTime() > deadlineNanos;
  }

  private void loop() throws Exception {
    Random r = new Random(seed);
    long allSubmittedAt = 0;
    boolean masterKilled = false;
    while (!over()) {
      long pause = 2_000 + r.nextInt(3_001);
      for (long slept = 0; slept < pause && !over(); slept += 100) {
        Thread.sleep(100);
      }
      if (over() || load.allEnded()) {
        return;
      }
      if (load.submittedAll()) {
        allSubmittedAt = allSubmittedAt == 0 ? System.currentTimeMillis() : allSubmittedAt;
        if (System.currentTimeMillis() - allSubmittedAt > tailMs) {
          return;
        }
      }
      if (!masterKilled && load.submitted.get() >= load.instances.size() / 2) {
        masterKilled = true;
        killAndRestart("master", cluster.masterHttp);
      } else {
        String w = "w" + (1 + r.nextInt(cluster.workerHttp.size()));
        killAndRestart("worker-" + w, cluster.workerHttp.get(w));
      }
    }
  }

  private void killAndRestart(String name, int httpPort) throws Exception {
    Path log = cluster.log(name);
    int inFlight = load.inFlight();
    long at = System.currentTimeMillis();
    long pid = cluster.kill(name);
    System.out.printf("chaos: kill -9 %s (pid %d), %d instances in flight%n", name, pid, inFlight);
    Thread.sleep(1_000);
    cluster.restart(name);
    if (!ChaosCluster.awaitHealth(httpPort, RESTART_HEALTH)) {
      throw new IllegalStateException(
          name + " restarted after kill -9 did not answer /health within " + RESTART_HEALTH);
    }
    long healthy = System.currentTimeMillis();
    if (!cluster.awaitAllLive(RESTART_HEALTH)) {
      throw new IllegalStateException(
          "after restarting "
              + name
              + " the master did not count 3 live workers within "
              + RESTART_HEALTH
              + " (it counts "
              + cluster.liveWorkers()
              + ")");
    }
    long allLive = System.currentTimeMillis();
    synchronized (this) {
      kills.add(new Kill(name, pid, log, at, inFlight, healthy, allLive));
    }
  }
}
