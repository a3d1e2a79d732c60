package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Location;
import io.sluice.model.format.FieldReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code workers:} list; remembers each read worker's node for later locations. */
final class WorkersReader {
  private static final Set<String> KEYS =
      Set.of("id", "host", "grpcPort", "httpPort", "slots", "memory", "classpath", "secrets");

  private final FieldReader fields;
  private final String configFile;
  private final List<JsonNode> nodes = new ArrayList<>();
  private String clusterSecrets;

  /** {@code configFile}: the config's path (relative secrets folders start at its folder). */
  WorkersReader(FieldReader fields, String configFile) {
    this.fields = fields;
    this.configFile = configFile;
  }

  /** The nodes of the workers {@link #read} returned, in the same order. */
  List<JsonNode> nodes() {
    return nodes;
  }

  List<WorkerConfig> read(JsonNode root) {
    clusterSecrets = secrets(root, null);
    JsonNode list = root.get("workers");
    List<WorkerConfig> workers = new ArrayList<>();
    if (list == null || list.isNull()) {
      fields.problem(root, null, null, "missing required key 'workers' (a list of workers)");
      return workers;
    }
    if (!list.isArray() || list.isEmpty()) {
      fields.problem(root, "workers", "workers", "'workers' must list at least one worker");
      return workers;
    }
    Map<String, Location> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode w = list.get(i);
      String section = "workers[" + i + "]";
      if (!w.isObject()) {
        fields.problem(list, null, section, "each worker must be a mapping like {id: w1, ...}");
        continue;
      }
      String id = fields.text(w, "id", section, true);
      section = id == null ? section : "worker " + id;
      if (id != null) {
        Location first = seen.putIfAbsent(id, fields.at(w, "id"));
        if (first != null) {
          fields.problem(
              w, "id", section, "duplicate worker id '" + id + "' (first at " + first + ")");
        }
      }
      WorkerConfig worker = read(w, id, section);
      if (worker != null) {
        workers.add(worker);
        nodes.add(w);
      }
    }
    return workers;
  }

  private WorkerConfig read(JsonNode w, String id, String section) {
    fields.checkKeys(w, KEYS, null, section);
    String host = fields.text(w, "host", section, true);
    Integer grpc = fields.port(w, "grpcPort", section);
    Integer http = fields.port(w, "httpPort", section);
    Long slots = fields.integer(w, "slots", section, 1, WorkerConfig.DEFAULT_SLOTS);
    Long memory = fields.bytes(w, "memory", section, WorkerConfig.DEFAULT_MEMORY_BYTES);
    if (slots != null && slots > Integer.MAX_VALUE) {
      fields.problem(w, "slots", section, "'slots' must be at most " + Integer.MAX_VALUE);
      slots = null;
    }
    if (id == null || host == null || grpc == null || http == null || slots == null) {
      return null;
    }
    if (memory == null) {
      return null;
    }
    List<String> classpath = classpath(w, section);
    if (classpath == null) {
      return null;
    }
    String secrets = w.has("secrets") ? secrets(w, section) : clusterSecrets;
    return new WorkerConfig(id, host, grpc, http, slots.intValue(), memory, classpath, secrets);
  }

  /**
   * {@code secrets: {dir: PATH}} of a worker or of the whole cluster (section null): the folder,
   * absolute; null when absent or wrong (after a problem).
   */
  private String secrets(JsonNode owner, String section) {
    JsonNode s = owner.get("secrets");
    if (s == null || s.isNull()) {
      return null;
    }
    if (!s.isObject()) {
      fields.problem(owner, "secrets", section, "'secrets' must be a mapping like {dir: PATH}");
      return null;
    }
    fields.checkKeys(s, Set.of("dir"), "secrets", section);
    String dir = fields.text(s, "dir", section, true);
    if (dir == null) {
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of(dir);
    if (!p.isAbsolute() && configFile != null && !configFile.startsWith("<")) {
      java.nio.file.Path parent = java.nio.file.Path.of(configFile).toAbsolutePath().getParent();
      p = parent == null ? p : parent.resolve(p);
    }
    return p.toAbsolutePath().normalize().toString();
  }

  /**
   * {@code classpath:} a list of jars or folders, or one text of them separated by the platform's
   * path separator; null after a problem.
   */
  private List<String> classpath(JsonNode w, String section) {
    JsonNode cp = w.get("classpath");
    List<String> out = new ArrayList<>();
    if (cp == null || cp.isNull()) {
      return out;
    }
    if (cp.isTextual()) {
      for (String e :
          cp.asText().split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
        if (!e.isBlank()) {
          out.add(e.strip());
        }
      }
      return out;
    }
    if (cp.isArray()) {
      for (JsonNode e : cp) {
        if (!e.isTextual() || e.asText().isBlank()) {
          fields.problem(
              w, "classpath", section, "'classpath' entries must be paths of jars or folders");
          return null;
        }
        out.add(e.asText().strip());
      }
      return out;
    }
    fields.problem(
        w,
        "classpath",
        section,
        "'classpath' must be a list of jars or folders, or one text of them separated by '"
            + java.io.File.pathSeparator
            + "'");
    return null;
  }
}
