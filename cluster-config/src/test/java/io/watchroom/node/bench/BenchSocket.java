package io.watchroom.node.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One benchmark WebSocket client on Netty: thousands of them share two event-loop threads, so the
 * client side costs little next to the server under test (the JDK's WebSocket client spent more
 * per frame than the servers did). Frames reach a callback as text on the event loop; keep the
 * callback short. Shared by the fan-out, load and idle-socket benchmarks.
 */
final class BenchSocket {

  private static final EventLoopGroup LOOP = new NioEventLoopGroup(2);

  private final Channel channel;
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  final CompletableFuture<Void> open = new CompletableFuture<>();
  final CompletableFuture<Void> welcomed = new CompletableFuture<>();

  private BenchSocket(String url, BiConsumer<BenchSocket, String> onFrame) throws Exception {
    URI uri = URI.create(url);
    var handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 1 << 20);
    channel =
        new Bootstrap()
            .group(LOOP)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(1 << 20))
                        .addLast(new WebSocketClientProtocolHandler(handshaker, true))
                        .addLast(new Frames(onFrame));
                  }
                })
            .connect(uri.getHost(), uri.getPort())
            .sync()
            .channel();
    channel.closeFuture().addListener(f -> {
      closed.complete(0);
      open.completeExceptionally(new IllegalStateException("closed before the handshake"));
      welcomed.completeExceptionally(new IllegalStateException("closed before the welcome"));
    });
    open.get(30, TimeUnit.SECONDS);
  }

  /** Connects, sends join with a session token and waits for the welcome. */
  static BenchSocket join(String url, String token, BiConsumer<BenchSocket, String> onFrame) throws Exception {
    BenchSocket client = new BenchSocket(url, onFrame);
    client.send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
    client.welcomed.get(30, TimeUnit.SECONDS);
    return client;
  }

  boolean send(String text) {
    if (!channel.isActive()) {
      return false;
    }
    channel.writeAndFlush(new TextWebSocketFrame(text));
    return true;
  }

  boolean isOpen() {
    return channel.isActive();
  }

  void close() {
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame()).addListener(f -> channel.close());
    }
  }

  /** The value of a numeric field in a flat JSON frame, without parsing all of it. */
  static double number(String frame, String field) {
    int at = frame.indexOf("\"" + field + "\":");
    if (at < 0) {
      return Double.NaN;
    }
    int start = at + field.length() + 3;
    int end = start;
    while (end < frame.length() && "-0123456789.eE".indexOf(frame.charAt(end)) >= 0) {
      end++;
    }
    return Double.parseDouble(frame.substring(start, end));
  }

  /**
   * A seek that names action {@code n}: to n / 1000 seconds, so that a million actions fit in a
   * room's longest media (10 days). One correctly rounded division gives the double the server
   * parses back.
   */
  static String seek(long n) {
    return "{\"type\":\"seek\",\"position\":" + (n / 1000.0) + "}";
  }

  /** The action a playback frame's position names (see {@link #seek}), or -1 for none. */
  static long action(String frame) {
    double position = number(frame, "position");
    return Double.isNaN(position) ? -1 : Math.round(position * 1000);
  }

  static boolean isType(String frame, String type) {
    return frame.startsWith("{\"type\":\"" + type + "\"");
  }

  private final class Frames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final BiConsumer<BenchSocket, String> onFrame;

    Frames(BiConsumer<BenchSocket, String> onFrame) {
      this.onFrame = onFrame;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        open.complete(null);
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      String text = frame.text();
      if (isType(text, "welcome")) {
        welcomed.complete(null);
      }
      onFrame.accept(BenchSocket.this, text);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
