package io.aimp.gateway.storage;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One property picks the backend: {@code aimp.database-url} unset → SQLite under the data dir. */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(StorageProperties props) {
        HikariDataSource ds = DataSources.create(props);
        DataSources.migrate(ds, props.dialect());
        return ds;
    }

    @Bean(destroyMethod = "close")
    GroupCommit groupCommit(Database database) {
        return new GroupCommit(database, 256);
    }

    @Bean
    Database database(HikariDataSource dataSource, StorageProperties props) {
        return new Database(dataSource, props.dialect());
    }
}
