package io.sluice.model;

import java.util.List;
import java.util.stream.Collectors;

/** A workflow definition could not be read or is invalid; carries every problem found. */
public final class DefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public DefinitionException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public DefinitionException(Problem problem) {
    this(List.of(problem));
  }

  public List<Problem> problems() {
    return problems;
  }
}
