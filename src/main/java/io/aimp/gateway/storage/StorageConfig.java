package io.aimp.gateway.storage;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One property picks the backend: {@code aimp.database-url} unset → SQLite under the data dir. */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    /** Present only for the embedded database: see {@link DataDirLock}. */
    @Bean(destroyMethod = "close")
    DataDirLock dataDirLock(StorageProperties props) {
        return props.dialect() == Dialect.SQLITE ? DataDirLock.acquire(props.dataDir().toAbsolutePath().normalize()) : null;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(StorageProperties props, org.springframework.beans.factory.ObjectProvider<DataDirLock> lock) {
        lock.getIfAvailable();
        HikariDataSource ds = DataSources.create(props);
        DataSources.migrate(ds, props.dialect());
        return ds;
    }

    /** Present only for the embedded database: WAL checkpoints off the commit path. */
    @Bean(destroyMethod = "close")
    SqliteCheckpointer sqliteCheckpointer(HikariDataSource dataSource, StorageProperties props) {
        return props.dialect() == Dialect.SQLITE ? new SqliteCheckpointer(dataSource) : null;
    }

    @Bean(destroyMethod = "close")
    GroupCommit groupCommit(Database database, ObjectProvider<SqliteCheckpointer> checkpointer) {
        SqliteCheckpointer c = checkpointer.getIfAvailable();
        return c == null ? new GroupCommit(database, 256) : new GroupCommit(database, 256, c::betweenBatches);
    }

    @Bean
    Database database(HikariDataSource dataSource, StorageProperties props) {
        return new Database(dataSource, props.dialect());
    }
}
