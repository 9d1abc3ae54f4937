package io.aimp.gateway.playground;

import io.aimp.gateway.support.GatewayHttpTest;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A running gateway with the playground tests' catalog and scripted providers ({@link PlaygroundCatalog}). */
abstract class PlaygroundHttpBase extends GatewayHttpTest {

    @DynamicPropertySource
    static void playgroundProperties(DynamicPropertyRegistry registry) {
        PlaygroundCatalog.register(registry);
    }

    @Autowired
    DataSource dataSource;

    long count(String sql, Object... args) {
        var spec = JdbcClient.create(dataSource).sql(sql);
        for (Object a : args) {
            spec = spec.param(a);
        }
        return spec.query(Long.class).single();
    }
}
