package io.sluice.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A process's small HTTP server (docs/design.md, Processes and configuration): {@code GET /health},
 * {@code GET /metrics} (Prometheus text) and {@code POST /events} (CloudEvents in structured,
 * binary and batch mode, and platform payloads: {@code POST /events/SHAPE}). Deliveries do not hold
 * the I/O threads: each reply is written when the {@link EventSink}'s stage completes, in request
 * order per connection. See docs/events.md for modes, shapes and status codes. A process adds GET
 * routes of its own with {@link HttpRoutes} (the master's JSON API, docs/http-api.md), answered the
 * same way. With {@link HttpEndpointOptions#tls()} it serves HTTPS only. Its threads are daemons;
 * {@link #close()} releases the port.
 */
public final class HttpEndpoint implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;

  private HttpEndpoint(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds and starts serving.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static HttpEndpoint start(HttpEndpointOptions options) {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            2, new DefaultThreadFactory("sluice-http", true), NioIoHandler.newFactory());
    io.netty.handler.ssl.SslContext ssl;
    try {
      ssl = sslContext(options.tls());
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    EventIngest ingest = new EventIngest(options);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new BodyLimit(options.maxBodyBytes()))
                        .addLast(new EndpointHandler(options, ingest));
                  }
                });
    try {
      Channel channel =
          bootstrap.bind(options.host(), options.port()).syncUninterruptibly().channel();
      return new HttpEndpoint(group, channel);
    } catch (Exception e) { // Netty rethrows the bind's checked IOException unchecked
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      String address = options.host() + ":" + options.port();
      throw new UncheckedIOException(
          new IOException(
              "cannot serve HTTP on "
                  + address
                  + ": "
                  + e.getMessage()
                  + "; is another process using the port, or is the host not this machine's?",
              e));
    }
  }

  /** The server side of TLS for {@code tls}, or null for plain HTTP. */
  private static io.netty.handler.ssl.SslContext sslContext(HttpEndpointOptions.Tls tls) {
    if (tls == null) {
      return null;
    }
    try {
      return io.netty.handler.ssl.SslContextBuilder.forServer(
              tls.certificate().toFile(), tls.privateKey().toFile())
          .build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new UncheckedIOException(
          new IOException(
              "cannot serve HTTPS with "
                  + tls.certificate()
                  + " and "
                  + tls.privateKey()
                  + ": "
                  + e.getMessage()
                  + " (security.tls: N.crt is a PEM chain, N.key a PKCS#8 PEM key)",
              e));
    }
  }

  /** The port bound (the actual one when started with port 0). */
  public int port() {
    return address().getPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Stops accepting, closes connections and frees the port. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
