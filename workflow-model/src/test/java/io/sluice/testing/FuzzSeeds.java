package io.sluice.testing;

import io.sluice.model.format.NativeWriter;
import io.sluice.model.format.WfformatGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The definitions the definition fuzzer starts from, copied into a working folder so that a mutant
 * can be written beside the files its seed includes (a sub-workflow file, FaaSFlow's {@code
 * function_info.yaml}):
 *
 * <ul>
 *   <li>{@code native}: the examples ({@code examples/*.yaml}; not {@code examples/containers},
 *       whose functions need Docker) and a few random DAGs of {@link RandomDags} in the native
 *       format;
 *   <li>{@code faasflow}: every benchmark of {@code corpus/faasflow} but the two largest
 *       scalability DAGs;
 *   <li>{@code wfcommons}: the traces of {@code corpus/wfcommons/raw} under 250 KB, and prefixes of
 *       3..16 tasks of the 1.5 ones ({@link WfformatGenerator}).
 * </ul>
 */
public final class FuzzSeeds {
  private static final long MAX_TRACE_BYTES = 250_000;

  /** Seeds larger than this are picked a quarter as often (they cost more to mutate and read). */
  private static final int LARGE = 30_000;

  /** The families, and how often a case starts from each. */
  private static final String[] FAMILIES = {"native", "native", "faasflow", "wfcommons"};

  /**
   * One seed definition.
   *
   * @param name where it came from, for messages
   * @param family native, faasflow or wfcommons
   * @param dir the working folder its mutants are written to
   * @param bytes its text
   * @param json whether it is JSON (else YAML)
   */
  public record Seed(String name, String family, Path dir, byte[] bytes, boolean json) {}

  private FuzzSeeds() {}

  /**
   * A seed for one case: a family (native half the time, FaaSFlow and WfCommons a quarter each),
   * then a seed of it, large ones a quarter as often as small ones.
   */
  public static Seed pick(List<Seed> seeds, SplittableRandom random) {
    String family = FAMILIES[random.nextInt(FAMILIES.length)];
    List<Seed> of = seeds.stream().filter(s -> s.family().equals(family)).toList();
    int total = of.stream().mapToInt(FuzzSeeds::weight).sum();
    int r = random.nextInt(total);
    for (Seed s : of) {
      r -= weight(s);
      if (r < 0) {
        return s;
      }
    }
    throw new IllegalStateException("no seed of family " + family);
  }

  private static int weight(Seed s) {
    return s.bytes().length > LARGE ? 1 : 4;
  }

  /** Copies and lists the seeds of the repository at {@code root} into {@code work}. */
  public static List<Seed> load(Path root, Path work) {
    try {
      List<Seed> seeds = new ArrayList<>();
      Path corpus = root.resolve("corpus");
      nativeSeeds(root.resolve("examples"), work.resolve("native"), seeds);
      faasflowSeeds(corpus.resolve("faasflow"), work.resolve("faasflow"), seeds);
      wfcommonsSeeds(corpus.resolve("wfcommons/raw"), work.resolve("wfcommons"), seeds);
      return List.copyOf(seeds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void nativeSeeds(Path examples, Path dir, List<Seed> out) throws IOException {
    Files.createDirectories(dir.resolve("subworkflows"));
    try (Stream<Path> s = Files.list(examples.resolve("subworkflows"))) {
      for (Path p : s.toList()) {
        Files.copy(p, dir.resolve("subworkflows").resolve(p.getFileName()));
      }
    }
    try (Stream<Path> s = Files.list(examples)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        out.add(new Seed("examples/" + p.getFileName(), "native", dir, read(p), false));
      }
    }
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 4; i++) {
      String yaml =
          NativeWriter.toYaml(RandomDags.generate(r, RandomDags.Shape.SMALL, "f" + i, "synthetic"));
      out.add(
          new Seed("random-dag-" + i, "native", dir, yaml.getBytes(StandardCharsets.UTF_8), false));
    }
  }

  private static void faasflowSeeds(Path faasflow, Path work, List<Seed> out) throws IOException {
    try (Stream<Path> s = Files.list(faasflow)) {
      for (Path d : s.filter(Files::isDirectory).sorted().toList()) {
        String name = d.getFileName().toString();
        if (name.equals("genome-scal-100") || name.equals("genome-scal-200")) {
          continue;
        }
        Path dir = Files.createDirectories(work.resolve(name));
        Path info = d.resolve("function_info.yaml");
        if (Files.exists(info)) {
          Files.copy(info, dir.resolve("function_info.yaml"));
        }
        byte[] flat = read(d.resolve("flat_workflow.yaml"));
        out.add(new Seed("faasflow/" + name, "faasflow", dir, flat, false));
      }
    }
  }

  private static void wfcommonsSeeds(Path raw, Path work, List<Seed> out) throws IOException {
    try (Stream<Path> s = Files.list(raw)) {
      for (Path p : s.sorted().toList()) {
        if (Files.size(p) > MAX_TRACE_BYTES) {
          continue;
        }
        String name = p.getFileName().toString();
        Path dir = Files.createDirectories(work.resolve(name.replace(".json", "")));
        out.add(new Seed("wfcommons/" + name, "wfcommons", dir, read(p), true));
        if (name.endsWith(".v1.4.json")) {
          continue;
        }
        WfformatGenerator gen = WfformatGenerator.of(p);
        for (int tasks : new int[] {3, 8, 16}) {
          byte[] prefix = gen.generate(tasks).getBytes(StandardCharsets.UTF_8);
          out.add(
              new Seed(
                  "wfcommons/" + name + " (first " + tasks + " tasks)",
                  "wfcommons",
                  dir,
                  prefix,
                  true));
        }
      }
    }
  }

  private static byte[] read(Path p) throws IOException {
    return Files.readAllBytes(p);
  }
}
