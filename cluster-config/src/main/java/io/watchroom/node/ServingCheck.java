package io.watchroom.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Readiness check (management.conf): the node serves HTTP and is not leaving. Load balancers and
 * Kubernetes stop sending new connections as soon as coordinated shutdown starts, before the node
 * unbinds, and do not send any before the node has bound its port.
 */
public final class ServingCheck implements Supplier<CompletionStage<Boolean>> {

  private final Serving serving;

  public ServingCheck(ActorSystem system) {
    this.serving = Serving.ID.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(serving.serving.get());
  }

  /** Whether this node accepts connections; one per actor system. */
  public static final class Serving implements Extension {
    public static final Id ID = new Id();
    private final AtomicBoolean serving = new AtomicBoolean(false);

    public void set(boolean value) {
      serving.set(value);
    }

    public boolean get() {
      return serving.get();
    }

    public static final class Id extends AbstractExtensionId<Serving> {
      @Override
      public Serving createExtension(ExtendedActorSystem system) {
        return new Serving();
      }
    }
  }
}
