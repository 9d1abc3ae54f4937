package io.aimp.gateway.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import java.util.Map;
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

    /** A new workspace: its owner's client and id. */
    record Workspace(GatewayClient owner, String id) {
    }

    /** A new workspace whose wallet holds exactly {@code credits}. */
    Workspace newWorkspace(String credits) {
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient.Response ws = first.post("/api/workspaces", Map.of("name", "Playground " + m.email()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        GatewayClient client = anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), ws.get("id")).accessToken());
        GatewayClient.Response top = client.post("/api/billing/wallet/credits", Map.of("amount", credits, "reason", "tests"));
        assertThat(top.status()).as(top.describe()).isEqualTo(200);
        return new Workspace(client, ws.get("id"));
    }

    /** A client of a new workspace holding exactly {@code credits}. */
    GatewayClient workspaceWith(String credits) {
        return newWorkspace(credits).owner();
    }
}
