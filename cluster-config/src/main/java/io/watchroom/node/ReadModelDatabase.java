package io.watchroom.node;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * The connection pool for read models: projections write them (with their offsets, in one
 * transaction) and HTTP routes query them. The journal has its own pool inside Persistence JDBC.
 */
final class ReadModelDatabase implements AutoCloseable {

  private final HikariDataSource dataSource;

  ReadModelDatabase(Config config) {
    Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.default.db");
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("read-models");
    hikari.setJdbcUrl(config.getString("watchroom.database.jdbc-url"));
    hikari.setUsername(db.getString("user"));
    hikari.setPassword(db.getString("password"));
    hikari.setMaximumPoolSize(config.getInt("pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size") + 2);
    hikari.setMinimumIdle(1);
    hikari.setAutoCommit(true);
    this.dataSource = new HikariDataSource(hikari);
  }

  DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
