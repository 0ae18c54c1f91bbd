package io.watchroom.node;

import com.typesafe.config.Config;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database schema (journal, snapshots, and later projection offsets and read models)
 * to the current version before the node starts, from the versioned scripts under {@code
 * db/migration/<kind>}. Nodes starting together are safe: Flyway takes a lock on its history table.
 */
public final class DatabaseMigrations {
  private static final Logger log = LoggerFactory.getLogger(DatabaseMigrations.class);

  private DatabaseMigrations() {}

  public static MigrateResult migrate(Config config) {
    String kind = config.getString("watchroom.database.kind");
    var flyway =
        Flyway.configure()
            .locations("classpath:db/migration/" + kind)
            .dataSource(
                config.getString("watchroom.database.jdbc-url"),
                config.getString("pekko-persistence-jdbc.shared-databases.default.db.user"),
                config.getString("pekko-persistence-jdbc.shared-databases.default.db.password"));
    if (kind.equals("postgres")) {
      flyway.schemas(config.getString("watchroom.database.schema")).createSchemas(true);
    }
    MigrateResult result = flyway.load().migrate();
    if (result.migrationsExecuted > 0) {
      log.info(
          "Database schema migrated to version {} ({} migrations)",
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    return result;
  }
}
