package io.sluice.runtime.http;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Settings;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.grpc.netty.shaded.io.netty.util.CharsetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * An HTTP server on a free 127.0.0.1 port that accepts the HTTP/2 cleartext upgrade ({@code
 * Upgrade: h2c}) and then serves on HTTP/2, for the http runtime's {@code httpVersion: HTTP_2}
 * test: every answer is {@code {"protocol": "HTTP/2" or "HTTP/1.1", "bytes": N}} (N: the request
 * body's size). The JDK has no HTTP/2 server, so this uses the Netty copy shaded into grpc-java (a
 * test dependency the build already has).
 */
final class H2cServer implements AutoCloseable {
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;

  H2cServer() throws InterruptedException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    HttpServerCodec source = new HttpServerCodec();
                    HttpServerUpgradeHandler.UpgradeCodecFactory codecs =
                        protocol ->
                            AsciiString.contentEquals(
                                    Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                ? new Http2ServerUpgradeCodec(new Builder().build())
                                : null;
                    ch.pipeline()
                        .addLast(source)
                        .addLast(new HttpServerUpgradeHandler(source, codecs, 1 << 20))
                        .addLast(new HttpObjectAggregator(1 << 20))
                        .addLast(new Http1());
                  }
                });
    channel = b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static ByteBuf answer(String protocol, int bytes) {
    return Unpooled.copiedBuffer(
        "{\"protocol\": \"" + protocol + "\", \"bytes\": " + bytes + "}", CharsetUtil.UTF_8);
  }

  /** Requests that were not upgraded. */
  private static final class Http1 extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              answer("HTTP/1.1", req.content().readableBytes()));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
      ctx.writeAndFlush(r);
    }
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Handler, Builder> {
    @Override
    public Handler build() {
      return super.build();
    }

    @Override
    protected Handler build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      Handler h = new Handler(decoder, encoder, settings);
      frameListener(h.listener);
      return h;
    }
  }

  /** The HTTP/2 side: the upgraded request on stream 1, then any request on later streams. */
  private static final class Handler extends Http2ConnectionHandler {
    private final Map<Integer, Integer> received = new HashMap<>();

    final Http2FrameAdapter listener =
        new Http2FrameAdapter() {
          @Override
          public int onDataRead(
              ChannelHandlerContext ctx, int stream, ByteBuf data, int padding, boolean end) {
            int n = data.readableBytes();
            received.merge(stream, n, Integer::sum);
            if (end) {
              respond(ctx, stream, received.remove(stream));
            }
            return n + padding;
          }

          @Override
          public void onHeadersRead(
              ChannelHandlerContext ctx,
              int stream,
              Http2Headers headers,
              int padding,
              boolean end) {
            received.putIfAbsent(stream, 0);
            if (end) {
              respond(ctx, stream, received.remove(stream));
            }
          }

          @Override
          public void onHeadersRead(
              ChannelHandlerContext ctx,
              int stream,
              Http2Headers headers,
              int dependency,
              short weight,
              boolean exclusive,
              int padding,
              boolean end) {
            onHeadersRead(ctx, stream, headers, padding, end);
          }
        };

    Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings s) {
      super(decoder, encoder, s);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent up) {
        respond(ctx, 1, up.upgradeRequest().content().readableBytes());
      }
      super.userEventTriggered(ctx, evt);
    }

    private void respond(ChannelHandlerContext ctx, int stream, int bytes) {
      ByteBuf body = answer("HTTP/2", bytes);
      Http2Headers h =
          new DefaultHttp2Headers()
              .status(HttpResponseStatus.OK.codeAsText())
              .set("content-type", "application/json");
      encoder().writeHeaders(ctx, stream, h, 0, false, ctx.newPromise());
      encoder().writeData(ctx, stream, body, 0, true, ctx.newPromise());
      ctx.flush();
    }
  }
}
