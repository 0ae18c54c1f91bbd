package io.watchroom.node;

import com.typesafe.config.Config;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * The JDBC journal, timing every batch write: the persist latency of rooms, measured where the
 * write happens. core stays free of Kamon (Pekko only), so the measure lives in the journal plugin
 * the node configures ({@code jdbc-journal.class}) rather than in the Room entity. A batch holds
 * the events of one or more persist calls written in one transaction.
 */
public final class MeasuredJournal extends JdbcAsyncWriteJournal {

  private static final Histogram writeTime =
      Kamon.histogram("watchroom.journal.write", MeasurementUnit.time().nanoseconds()).withoutTags();
  private static final Counter failures =
      Kamon.counter("watchroom.journal.write.failures").withoutTags();
  private static final Counter events = Kamon.counter("watchroom.journal.events").withoutTags();

  public MeasuredJournal(Config config) {
    super(config);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    long start = System.nanoTime();
    int count = 0;
    var it = messages.iterator();
    while (it.hasNext()) {
      count += it.next().size();
    }
    int written = count;
    Future<Seq<Try<BoxedUnit>>> result = super.asyncWriteMessages(messages);
    FutureConverters.asJava(result)
        .whenComplete(
            (outcome, failure) -> {
              writeTime.record(System.nanoTime() - start);
              if (failure != null) {
                failures.increment();
              } else {
                events.increment(written);
              }
            });
    return result;
  }
}
