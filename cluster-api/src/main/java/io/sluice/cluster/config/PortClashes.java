package io.sluice.cluster.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds ports that two processes of a cluster would both bind on the same host. */
final class PortClashes {
  /** One port a process binds: {@code what} says whose, e.g. "worker w1 grpcPort". */
  record Binding(String what, String host, int port) {}

  /** A binding that takes a port an earlier one already has. */
  record Clash(int first, int second) {}

  private PortClashes() {}

  static List<Clash> find(List<Binding> bindings) {
    Map<String, Integer> taken = new HashMap<>();
    List<Clash> clashes = new ArrayList<>();
    for (int i = 0; i < bindings.size(); i++) {
      Binding b = bindings.get(i);
      if (b.port() == 0) {
        continue; // any free port: cannot clash
      }
      String key = Ports.canonicalHost(b.host()) + ":" + b.port();
      Integer first = taken.putIfAbsent(key, i);
      if (first != null) {
        clashes.add(new Clash(first, i));
      }
    }
    return clashes;
  }

  static String describe(List<Binding> bindings, Clash c) {
    Binding a = bindings.get(c.first());
    Binding b = bindings.get(c.second());
    return "port "
        + b.port()
        + " on "
        + b.host()
        + " is used by both "
        + a.what()
        + " and "
        + b.what()
        + "; give each process its own ports";
  }

  static List<Binding> of(MasterConfig master, List<WorkerConfig> workers) {
    List<Binding> out = new ArrayList<>();
    out.add(new Binding("master grpcPort", master.host(), master.grpcPort()));
    out.add(new Binding("master httpPort", master.host(), master.httpPort()));
    for (WorkerConfig w : workers) {
      out.add(new Binding("worker " + w.id() + " grpcPort", w.host(), w.grpcPort()));
      out.add(new Binding("worker " + w.id() + " httpPort", w.host(), w.httpPort()));
    }
    return out;
  }
}
