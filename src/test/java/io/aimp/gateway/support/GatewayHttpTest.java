package io.aimp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of HTTP tests that share one running gateway (same properties, so Spring caches the context):
 * SQLite in a fresh temporary data directory, a known owner key, owner password and secret key.
 * Tests that share it must not break what others rely on: they create their own users and keys
 * instead of revoking the owner key or spending the owner's login attempts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the shared contexts' tests count the owner workspace's runs, usage rows, wallet and knowledge bases exactly:
// the first-start demo index run would add one of each, and load MiniLM in every context (DemoChatOfflineTest
// switches it on)
@TestPropertySource(properties = "aimp.demo.index-docs=false")
public abstract class GatewayHttpTest {

    public static final String OWNER_KEY = TestSecrets.apiKey();
    public static final String OWNER_EMAIL = "owner@gateway.test";
    public static final String OWNER_PASSWORD = TestSecrets.password();
    /** Derives the token signing key, so tests can forge access tokens (see {@link AccessTokens}). */
    public static final String SECRET_KEY = TestSecrets.base62(48);
    public static final String PUBLIC_URL = "http://gateway.test:8080";


    @LocalServerPort
    protected int port;

    protected GatewayClient anonymous;
    protected GatewayClient owner;
    protected TestAccounts accounts;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        // one data directory per Spring context: two gateways never share one SQLite database (one node
        // per database is what the embedded mode promises; the in-memory wallet holds rely on it)
        Path dataDir = TestSecrets.tempDir("aimp-http-test-");
        registry.add("aimp.data-dir", dataDir::toString);
        registry.add("aimp.bootstrap-api-key", () -> OWNER_KEY);
        registry.add("aimp.bootstrap-owner-email", () -> OWNER_EMAIL);
        registry.add("aimp.bootstrap-owner-password", () -> OWNER_PASSWORD);
        registry.add("aimp.secret-key", () -> SECRET_KEY);
        registry.add("aimp.public-url", () -> PUBLIC_URL);
        // every test connects from 127.0.0.1; the per-account limit stays at its default
        registry.add("aimp.sessions.login-attempts-per-minute-per-ip", () -> "100000");

    }

    /** The exchanges of this test, when its class is {@link CheckedAgainstOpenApi}. */
    private OpenApiContractCheck contract;

    @BeforeEach
    void clients() {
        anonymous = new GatewayClient(port);
        if (getClass().isAnnotationPresent(CheckedAgainstOpenApi.class)) {
            contract = new OpenApiContractCheck();
            anonymous = anonymous.recording(contract.recorder());
        }
        owner = anonymous.withKey(OWNER_KEY);
        accounts = new TestAccounts(owner);
    }

    @AfterEach
    void answersMatchTheDocument() {
        if (contract != null) {
            List<String> violations = contract.violations(new GatewayClient(port));
            assertThat(violations).as("answers that do not match /api/openapi.json:\n" + String.join("\n", violations)).isEmpty();
        }
    }
}
