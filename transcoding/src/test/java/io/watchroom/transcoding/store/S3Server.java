package io.watchroom.transcoding.store;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-compatible server in this JVM for tests: s3proxy over an in-memory blob store, on a
 * free loopback port, with signature checking on (so the client's signing is exercised).
 */
public final class S3Server implements AutoCloseable {

  public static final String ACCESS_KEY = "watchroom-test";
  public static final String SECRET_KEY = "watchroom-test-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;

  private S3Server(S3Proxy proxy, BlobStoreContext context) {
    this.proxy = proxy;
    this.context = context;
  }

  public static S3Server start() throws Exception {
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long end = System.nanoTime() + 30_000_000_000L;
    while (!proxy.getState().equals("STARTED")) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(20);
    }
    return new S3Server(proxy, context);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public S3MediaStore.Settings settings(String bucket) {
    return new S3MediaStore.Settings(
        endpoint(), bucket, "us-east-1", ACCESS_KEY, SECRET_KEY, true, true, S3MediaStore.Serving.PROXY, "", java.time.Duration.ofHours(1));
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
