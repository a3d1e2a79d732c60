package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.security.TokenHash;
import io.sluice.master.MasterProcess;
import io.sluice.testing.IntegrationTest;
import io.sluice.worker.WorkerProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The master's web page in a real headless Chromium (Debian's chromium and chromium-driver, which
 * scripts/services.sh installs): a master and two workers in this JVM run a workflow whose middle
 * node writes to stderr, and the page, opened on that instance, shows it succeeded with each node
 * coloured by its state, its history and the captured log; a slow instance opened while it runs
 * turns from running to succeeded without a reload. Screenshots of both stay in
 * cli/target/web-page/.
 */
@IntegrationTest // starts a master, workers and a browser
class WebPageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHOTS = Path.of("target", "web-page");
  @TempDir Path tmp;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ClusterConfig config() throws IOException {
    return config("");
  }

  /** Two workers and a master on free ports; {@code extra} is more of the file (a section). */
  private static ClusterConfig config(String extra) throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            "name: web\nmaster: {host: 127.0.0.1, grpcPort: "
                + freePort()
                + ", httpPort: "
                + freePort()
                + "}\npartitioner: hash\n"
                + extra
                + "workers:\n");
    for (String id : List.of("w1", "w2")) {
      yaml.append("  - {id: ")
          .append(id)
          .append(", host: 127.0.0.1, grpcPort: ")
          .append(freePort())
          .append(", httpPort: ")
          .append(freePort())
          .append(", slots: 4}\n");
    }
    return ClusterConfig.parse("web.yaml", yaml.toString(), Map.of());
  }

  private static final String WORKFLOW =
      """
      sluice: "1.0"
      name: webdemo
      version: "1"
      functions:
        prepare: {runtime: synthetic, computeMs: 5, outputBytes: 32}
        talk: {runtime: process, command: "echo 'hello from talk' >&2; echo '{\\"said\\": 1}'"}
        slow: {runtime: synthetic, computeMs: %d}
      nodes:
        - {id: prepare, type: task, function: prepare, next: talk}
        - {id: talk, type: task, function: talk, next: finish}
        - {id: finish, type: task, function: slow}
      """;

  /** Submits {@code file}: with {@code await}, waits and answers the instance id it ran as. */
  private static String submit(String master, Path file, boolean await, String... more)
      throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args =
        new java.util.ArrayList<>(List.of("submit", "--master", master, file.toString()));
    args.addAll(List.of(more));
    if (await) {
      args.addAll(List.of("--wait", "--json"));
    }
    int exit =
        Main.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    assertThat(exit).as(err.toString() + out).isZero();
    if (!await) {
      return out.toString().trim();
    }
    JsonNode j = JSON.readTree(out.toString());
    assertThat(j.get("status").asText()).as(out.toString()).isEqualTo("completed");
    return j.get("instanceId").asText();
  }

  private static WebDriver browser() {
    String chromium = System.getenv().getOrDefault("SLUICE_CHROMIUM", "/usr/bin/chromium");
    String driver = System.getenv().getOrDefault("SLUICE_CHROMEDRIVER", "/usr/bin/chromedriver");
    boolean present = Files.isExecutable(Path.of(chromium)) && Files.isExecutable(Path.of(driver));
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(
          "no headless browser: "
              + chromium
              + " or "
              + driver
              + " is missing (scripts/services.sh installs chromium and chromium-driver)");
    }
    assumeTrue(present, "chromium and chromedriver are not installed");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(Path.of(driver).toFile()).build();
    return new ChromeDriver(service, options);
  }

  private static WebElement node(WebDriver web, String id) {
    return web.findElement(By.cssSelector("#graph g.node[data-node='" + id + "']"));
  }

  private static void shot(WebDriver web, String name) throws IOException {
    Files.createDirectories(SHOTS);
    Path file = SHOTS.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) web).getScreenshotAs(OutputType.BYTES));
    System.out.println("web page screenshot: " + file.toAbsolutePath());
  }

  @Test
  void thePageShowsAnInstanceColouredByStateWithHistoryAndLogsAndFollowsARunningOne()
      throws Exception {
    ClusterConfig config = config();
    WorkerProcess.Options options = new WorkerProcess.Options(Duration.ofSeconds(20), List.of());
    Path quick = tmp.resolve("quick.yaml");
    Files.writeString(quick, WORKFLOW.formatted(5));
    try (MasterProcess master = MasterProcess.start(config);
        WorkerProcess w1 = WorkerProcess.start(config, "w1", options);
        WorkerProcess w2 = WorkerProcess.start(config, "w2", options)) {
      WebDriver web = browser();
      try {
        String done = submit(master.address(), quick, true);
        String base = "http://127.0.0.1:" + master.httpPort() + "/";
        web.get(base + "#instance=" + done);
        ConditionFactory wait =
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions();
        wait.until(() -> web.findElement(By.id("instance-state")).getText().equals("succeeded"));
        wait.until(() -> "completed".equals(node(web, "finish").getAttribute("data-state")));
        for (String id : List.of("prepare", "talk", "finish")) {
          assertThat(node(web, id).getAttribute("data-state")).as(id).isEqualTo("completed");
          assertThat(node(web, id).findElement(By.tagName("rect")).getAttribute("fill"))
              .isEqualTo("#8fd694");
        }
        wait.until(() -> !web.findElements(By.cssSelector("#logs .logentry")).isEmpty());
        assertThat(web.findElement(By.id("logs")).getText()).contains("hello from talk");
        List<String> steps =
            web.findElements(By.cssSelector("#history tbody tr")).stream()
                .map(r -> r.getAttribute("data-type"))
                .toList();
        assertThat(steps).startsWith("instance.started").endsWith("instance.succeeded");
        assertThat(steps).contains("node.started", "node.completed");
        assertThat(web.findElements(By.cssSelector("#instances tbody tr[data-instance]")))
            .extracting(e -> e.getAttribute("data-instance"))
            .contains(done);
        shot(web, "succeeded");

        // A slow one, opened while it runs: the page follows it until it ends.
        Path slow = tmp.resolve("slow.yaml");
        Files.writeString(slow, WORKFLOW.formatted(4000).replace("webdemo", "webslow"));
        String running = submit(master.address(), slow, false);
        web.get(base + "#instance=" + running);
        wait.until(() -> "running".equals(node(web, "finish").getAttribute("data-state")));
        assertThat(web.findElement(By.id("instance-state")).getText()).isEqualTo("running");
        assertThat(node(web, "prepare").getAttribute("data-state")).isEqualTo("completed");
        shot(web, "running");
        wait.until(() -> web.findElement(By.id("instance-state")).getText().equals("succeeded"));
        assertThat(node(web, "finish").getAttribute("data-state")).isEqualTo("completed");
      } finally {
        web.quit();
      }
    }
  }

  @Test
  void aBrowserSignsInWithATokenToSeeTheInstancesAndAWrongTokenIsRefused() throws Exception {
    Path tokens = tmp.resolve("tokens");
    Files.writeString(
        tokens,
        "viewer operate "
            + TokenHash.of("tok-view")
            + "\nci submit "
            + TokenHash.of("tok-ci")
            + "\n");
    Path ciToken = tmp.resolve("ci.token");
    Files.writeString(ciToken, "tok-ci\n");
    ClusterConfig config = config("security: {tokens: " + tokens.toAbsolutePath() + "}\n");
    WorkerProcess.Options options = new WorkerProcess.Options(Duration.ofSeconds(20), List.of());
    Path quick = tmp.resolve("quick.yaml");
    // synthetic functions only: what a secured worker may run is not this test's business
    Files.writeString(
        quick,
        WORKFLOW
            .formatted(5)
            .replaceAll("talk: \\{runtime: process.*", "talk: {runtime: synthetic, computeMs: 1}"));
    try (MasterProcess master = MasterProcess.start(config);
        WorkerProcess w1 = WorkerProcess.start(config, "w1", options);
        WorkerProcess w2 = WorkerProcess.start(config, "w2", options)) {
      String done = submit(master.address(), quick, true, "--token-file", ciToken.toString());
      WebDriver web = browser();
      try {
        web.get("http://127.0.0.1:" + master.httpPort() + "/");
        ConditionFactory wait =
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions();
        wait.until(() -> web.findElement(By.id("signin")).isDisplayed());
        assertThat(web.findElement(By.id("main")).isDisplayed()).isFalse();

        web.findElement(By.id("token")).sendKeys("not-a-token");
        web.findElement(By.id("signin-button")).click();
        wait.until(() -> !web.findElement(By.id("signin-error")).getText().isEmpty());
        assertThat(web.findElement(By.id("signin-error")).getText()).startsWith("unknown token");
        assertThat(web.manage().getCookieNamed("sluice_session")).isNull();
        assertThat(web.findElement(By.id("main")).isDisplayed()).isFalse();

        web.findElement(By.id("token")).sendKeys("tok-view");
        web.findElement(By.id("signin-button")).click();
        wait.until(
            () ->
                web.findElements(By.cssSelector("#instances tbody tr[data-instance]")).stream()
                    .anyMatch(e -> done.equals(e.getAttribute("data-instance"))));
        assertThat(web.findElement(By.id("signin")).isDisplayed()).isFalse();
        assertThat(web.findElement(By.id("who")).getText()).isEqualTo("viewer (operate)");
        org.openqa.selenium.Cookie cookie = web.manage().getCookieNamed("sluice_session");
        assertThat(cookie.getValue()).startsWith("viewer.operate.");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        shot(web, "signed-in");

        // the session outlives a reload; signing out ends it
        web.navigate().refresh();
        wait.until(() -> web.findElement(By.id("main")).isDisplayed());
        web.findElement(By.id("signout")).click();
        wait.until(() -> web.findElement(By.id("signin")).isDisplayed());
        assertThat(web.manage().getCookieNamed("sluice_session")).isNull();
      } finally {
        web.quit();
      }
    }
  }
}
