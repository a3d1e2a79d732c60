package io.sluice.cluster.config;

import io.sluice.model.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cluster configuration could not be read or is invalid. Carries every problem found, each
 * printed as {@code FILE:LINE: SECTION: message} (the section is {@code -} at the top level).
 */
public final class ClusterConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public ClusterConfigException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public ClusterConfigException(Problem problem) {
    this(List.of(problem));
  }

  public List<Problem> problems() {
    return problems;
  }
}
