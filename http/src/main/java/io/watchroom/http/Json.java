package io.watchroom.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/** The one JSON mapper: the same instance Pekko's Jackson serializer uses. */
public final class Json {
  private Json() {}

  public static ObjectMapper mapper(ActorSystem<?> system) {
    return JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
  }

  public static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // Only our own records are written; failing here is a programming error.
      throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
