package io.sluice.cli.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.InstanceLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The JSON log line: parses, carries instance and node from {@link InstanceLog}, and escapes. */
class LogLayoutTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aLineAboutANodeIsOneJsonObjectWithItsInstanceAndNode() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogLayout layout = new LogLayout();
    layout.setContext(ctx);
    layout.setPattern("%msg%n");
    layout.setFormat("json");
    layout.start();
    List<String> lines = new ArrayList<>();
    List<ILoggingEvent> events = new ArrayList<>();
    // formats as it appends, as the console appender does: the MDC is the thread's at that time
    AppenderBase<ILoggingEvent> appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            lines.add(layout.doLayout(e));
            events.add(e);
          }
        };
    appender.setContext(ctx);
    appender.start();
    Logger log = ctx.getLogger("io.sluice.engine.internal.NodeActions");
    log.setAdditive(false); // not on the test's stderr
    log.addAppender(appender);
    LogLayout.processField("worker", "w7");
    MDC.put("instance", "outer"); // what the thread had stays afterwards

    InstanceLog.warn(
        log,
        "m1-42",
        "align",
        "instance {} node {}: correlation \"failed\"\n{}",
        "m1-42",
        "align",
        "x",
        new IllegalStateException("boom"));

    assertThat(MDC.get("instance")).isEqualTo("outer");
    assertThat(MDC.get("node")).isNull();
    MDC.clear();
    String line = lines.get(0);
    assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
    JsonNode j = JSON.readTree(line);
    assertThat(j.get("instance").asText()).isEqualTo("m1-42");
    assertThat(j.get("node").asText()).isEqualTo("align");
    assertThat(j.get("worker").asText()).isEqualTo("w7");
    assertThat(j.get("level").asText()).isEqualTo("WARN");
    assertThat(j.get("logger").asText()).isEqualTo("io.sluice.engine.internal.NodeActions");
    assertThat(j.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(j.get("msg").asText())
        .isEqualTo("instance m1-42 node align: correlation \"failed\"\nx");
    assertThat(j.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(j.get("exception").asText())
        .contains("java.lang.IllegalStateException: boom")
        .contains("at io.sluice.cli.log.LogLayoutTest");

    layout.setFormat("text");
    assertThat(layout.doLayout(events.get(0))).startsWith("instance m1-42 node align");
    log.detachAppender(appender);
    log.setAdditive(true);
  }

  @Test
  void theProcessLogbackConfigurationUsesTheLayoutAndTheOptionSwitchesIt() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    var appender = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    var encoder = ((ConsoleAppender<ILoggingEvent>) appender).getEncoder();
    assertThat(((LayoutWrappingEncoder<ILoggingEvent>) encoder).getLayout())
        .isInstanceOf(LogLayout.class);
    assertThatThrownBy(() -> LogLayout.use("xml")).hasMessageContaining("text or json");
  }

  @Test
  void anAuditLineIsOneJsonObjectWithItsFieldsAtTheTop() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogLayout layout = new LogLayout();
    layout.setContext(ctx);
    layout.setPattern("%msg%n");
    layout.setFormat("json");
    layout.start();
    List<String> lines = new ArrayList<>();
    AppenderBase<ILoggingEvent> appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            lines.add(layout.doLayout(e));
          }
        };
    appender.setContext(ctx);
    appender.start();
    Logger log = ctx.getLogger(io.sluice.master.audit.AuditLog.LOGGER);
    log.setAdditive(false);
    log.addAppender(appender);
    try {
      io.sluice.master.audit.AuditLog.write(
          "Invoke",
          "127.0.0.1:5000",
          java.util.Map.of("workflow", "order@1", "instance", "i 7"),
          "ok");
    } finally {
      log.detachAppender(appender);
    }
    assertThat(lines).singleElement().asString().endsWith("}\n").doesNotContain("}\n{");
    JsonNode j = JSON.readTree(lines.get(0));
    assertThat(j.get("audit").asText()).isEqualTo("Invoke");
    assertThat(j.get("principal").asText()).isEqualTo("anonymous");
    assertThat(j.get("remote").asText()).isEqualTo("127.0.0.1:5000");
    assertThat(j.get("workflow").asText()).isEqualTo("order@1");
    assertThat(j.get("instance").asText()).isEqualTo("i 7");
    assertThat(j.get("outcome").asText()).isEqualTo("ok");
    assertThat(j.get("logger").asText()).isEqualTo("sluice.audit");
    assertThat(j.get("msg").asText()).contains("instance=\"i 7\"");
    assertThat(MDC.get("audit")).isNull(); // the thread's MDC is as it was
  }
}
