package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import io.sluice.model.format.FieldReader;
import io.sluice.model.format.SourceDocument;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a cluster YAML/JSON document into a {@link ClusterConfig}, reporting every problem. */
final class ClusterConfigReader {
  private static final Set<String> TOP =
      Set.of(
          "name",
          "master",
          "heartbeat",
          "partitioner",
          "store",
          "links",
          "workers",
          "http",
          "events",
          "sources",
          "durability",
          "progress",
          "logs",
          "secrets",
          "limits",
          "security");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final SourceDocument doc;
  private final List<Problem> problems = new ArrayList<>();
  private final FieldReader fields;

  private ClusterConfigReader(SourceDocument doc) {
    this.doc = doc;
    this.fields = new FieldReader(doc, problems);
  }

  static ClusterConfig read(Path file, Map<String, String> env) {
    return new ClusterConfigReader(document(() -> SourceDocument.read(file))).build(env);
  }

  static ClusterConfig parse(String file, String text, Map<String, String> env) {
    return new ClusterConfigReader(document(() -> SourceDocument.parse(file, text))).build(env);
  }

  private static SourceDocument document(java.util.function.Supplier<SourceDocument> reader) {
    try {
      SourceDocument doc = reader.get();
      doc.requireUniqueKeys();
      return doc;
    } catch (DefinitionException e) {
      throw new ClusterConfigException(e.problems());
    }
  }

  private ClusterConfig build(Map<String, String> env) {
    JsonNode root = doc.root();
    if (!root.isObject()) {
      throw new ClusterConfigException(
          new Problem(doc.locate(root), null, "a cluster config must be a mapping of keys"));
    }
    fields.checkKeys(root, TOP, null, null);
    String name = name(root);
    MasterConfig master = new MasterReader(fields).read(root, env);
    HeartbeatConfig heartbeat = heartbeat(root);
    PartitionerKind partitioner = partitioner(root);
    StoreConfig store = new StoreReader(fields, doc.file()).read(root);
    DurabilityConfig durability = new DurabilityReader(fields).read(root, store);
    Optional<LinkConfig> links = links(root);
    HttpConfig http = http(root);
    ProgressReader progressReader = new ProgressReader(fields);
    ProgressConfig progress = progressReader.progress(root);
    LogsConfig logs = progressReader.logs(root);
    LimitsConfig limits = new LimitsReader(fields).read(root);
    SecurityConfig security = new SecurityReader(fields, doc.file()).read(root);
    SourcesReader sourcesReader = new SourcesReader(fields);
    EventsConfig events = sourcesReader.events(root);
    List<SourceConfig> sources = sourcesReader.sources(root);
    WorkersReader workersReader = new WorkersReader(fields, doc.file());
    List<WorkerConfig> workers = workersReader.read(root);
    if (master != null) {
      checkPorts(root.get("master"), master, workers, workersReader.nodes());
    }
    if (!problems.isEmpty()) {
      throw new ClusterConfigException(problems);
    }
    return new ClusterConfig(
        name,
        doc.file(),
        master,
        heartbeat,
        partitioner,
        store,
        links,
        workers,
        http,
        events,
        sources,
        durability,
        progress,
        logs,
        limits,
        security);
  }

  private void checkPorts(
      JsonNode masterNode, MasterConfig master, List<WorkerConfig> workers, List<JsonNode> nodes) {
    List<PortClashes.Binding> bindings = PortClashes.of(master, workers);
    for (PortClashes.Clash c : PortClashes.find(bindings)) {
      int i = c.second();
      Location where =
          i < 2
              ? doc.locate(masterNode, i == 0 ? "grpcPort" : "httpPort")
              : doc.locate(nodes.get((i - 2) / 2), i % 2 == 0 ? "grpcPort" : "httpPort");
      String section = i < 2 ? "master" : "worker " + workers.get((i - 2) / 2).id();
      fields.problem(where, section, PortClashes.describe(bindings, c));
    }
  }

  private String name(JsonNode root) {
    String name = fields.text(root, "name", null, false);
    if (name == null) {
      String file = Path.of(doc.file()).getFileName().toString();
      int dot = file.lastIndexOf('.');
      name = dot > 0 ? file.substring(0, dot) : file;
    }
    if (!NAME.matcher(name).matches()) {
      fields.problem(
          root, "name", null, "'name' may hold only letters, digits, '.', '_' and '-': " + name);
    }
    return name;
  }

  private HeartbeatConfig heartbeat(JsonNode root) {
    JsonNode hb = fields.object(root, "heartbeat", "heartbeat", false);
    if (hb == null) {
      return HeartbeatConfig.DEFAULT;
    }
    fields.checkKeys(
        hb,
        Set.of("interval", "missedAllowed", "phiThreshold", "minStdDeviation", "maxSilence"),
        null,
        "heartbeat");
    var interval =
        fields.positiveDuration(hb, "interval", "heartbeat", HeartbeatConfig.DEFAULT.interval());
    Long missed =
        fields.integer(
            hb, "missedAllowed", "heartbeat", 1, HeartbeatConfig.DEFAULT.missedAllowed());
    if (missed != null && missed > Integer.MAX_VALUE) {
      fields.problem(hb, "missedAllowed", "heartbeat", "'missedAllowed' is too large: " + missed);
      missed = null;
    }
    Double phi = fields.number(hb, "phiThreshold", "heartbeat");
    if (phi != null && !(phi > 0 && phi <= 100)) {
      fields.problem(
          hb, "phiThreshold", "heartbeat", "'phiThreshold' must be > 0 and <= 100, got " + phi);
      return null;
    }
    var minStd = fields.positiveDuration(hb, "minStdDeviation", "heartbeat", null);
    var maxSilence = fields.positiveDuration(hb, "maxSilence", "heartbeat", null);
    if (interval == null
        || missed == null
        || (phi == null && !FieldReader.absent(hb, "phiThreshold"))
        || (minStd == null && !FieldReader.absent(hb, "minStdDeviation"))
        || (maxSilence == null && !FieldReader.absent(hb, "maxSilence"))) {
      return null;
    }
    int m = missed.intValue();
    Duration max = maxSilence == null ? HeartbeatConfig.defaultMaxSilence(interval, m) : maxSilence;
    if (max.compareTo(interval.multipliedBy(m)) < 0) {
      fields.problem(
          hb,
          "maxSilence",
          "heartbeat",
          "'maxSilence' ("
              + max.toMillis()
              + " ms) must be at least interval × missedAllowed ("
              + interval.multipliedBy(m).toMillis()
              + " ms)");
      return null;
    }
    return new HeartbeatConfig(
        interval,
        m,
        phi == null ? HeartbeatConfig.DEFAULT_PHI_THRESHOLD : phi,
        minStd == null ? HeartbeatConfig.defaultMinStdDeviation(interval) : minStd,
        max);
  }

  /** The optional {@code http:} section; null when a problem was recorded. */
  private HttpConfig http(JsonNode root) {
    JsonNode h = fields.object(root, "http", "http", false);
    if (h == null) {
      return HttpConfig.DEFAULT;
    }
    fields.checkKeys(h, Set.of("maxBodySize", "deliveryTimeout"), null, "http");
    Long max = fields.bytes(h, "maxBodySize", "http", HttpConfig.DEFAULT_MAX_BODY_BYTES);
    if (max != null && (max < 1 || max > HttpConfig.MAX_BODY_BYTES)) {
      fields.problem(
          h, "maxBodySize", "http", "'maxBodySize' must be 1 byte .. 2 GiB - 1, got " + max);
      max = null;
    }
    Duration timeout =
        fields.positiveDuration(h, "deliveryTimeout", "http", HttpConfig.DEFAULT_DELIVERY_TIMEOUT);
    return max == null || timeout == null ? null : new HttpConfig(max, timeout);
  }

  /** The optional {@code links:} section; null when a problem was recorded. */
  private Optional<LinkConfig> links(JsonNode root) {
    if (FieldReader.absent(root, "links")) {
      return Optional.empty();
    }
    JsonNode l = fields.object(root, "links", "links", false);
    if (l == null) {
      return null;
    }
    fields.checkKeys(l, Set.of(LinkConfig.LATENCY, LinkConfig.BANDWIDTH), null, "links");
    Duration latency =
        FieldReader.absent(l, LinkConfig.LATENCY)
            ? Duration.ZERO
            : fields.duration(l, LinkConfig.LATENCY, "links");
    Long bandwidth = LinkConfig.UNLIMITED;
    String text = fields.text(l, LinkConfig.BANDWIDTH, "links", false);
    if (text != null) {
      try {
        bandwidth = LinkConfig.parseBandwidth(text);
      } catch (IllegalArgumentException e) {
        fields.problem(l, LinkConfig.BANDWIDTH, "links", "'bandwidth': " + e.getMessage());
        bandwidth = null;
      }
    } else if (!FieldReader.absent(l, LinkConfig.BANDWIDTH)) {
      bandwidth = null; // text() recorded why
    }
    return latency == null || bandwidth == null
        ? null
        : Optional.of(new LinkConfig(latency, bandwidth));
  }

  private PartitionerKind partitioner(JsonNode root) {
    String text = fields.text(root, "partitioner", null, false);
    if (text == null) {
      return PartitionerKind.CRITICAL_PATH;
    }
    try {
      return PartitionerKind.parse(text);
    } catch (IllegalArgumentException e) {
      fields.problem(root, "partitioner", null, e.getMessage());
      return null;
    }
  }

  /** Reads the {@code master:} section and applies {@link ClusterConfig#ENV_MASTER}. */
  private record MasterReader(FieldReader fields) {
    MasterConfig read(JsonNode root, Map<String, String> env) {
      JsonNode m = fields.object(root, "master", "master", true);
      if (m == null) {
        return null;
      }
      fields.checkKeys(m, Set.of("host", "grpcPort", "httpPort"), null, "master");
      String host = fields.text(m, "host", "master", true);
      Integer grpc = fields.port(m, "grpcPort", "master");
      Integer http = fields.port(m, "httpPort", "master");
      String override = env.get(ClusterConfig.ENV_MASTER);
      if (override != null && !override.isBlank()) {
        HostPort hp = HostPort.parse(override.trim());
        if (hp == null) {
          fields.problem(
              m,
              null,
              "master",
              "environment variable "
                  + ClusterConfig.ENV_MASTER
                  + "='"
                  + override
                  + "' is not HOST:PORT (port 1..65535)");
        } else {
          host = hp.host();
          grpc = hp.port();
        }
      }
      return host == null || grpc == null || http == null
          ? null
          : new MasterConfig(host, grpc, http);
    }
  }

  /** A {@code host:port} pair, {@code [v6]:port} for IPv6 literals. */
  record HostPort(String host, int port) {
    static HostPort parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        return null;
      }
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(text.substring(colon + 1));
        return port < 1 || port > 65_535 || host.isBlank() ? null : new HostPort(host, port);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
