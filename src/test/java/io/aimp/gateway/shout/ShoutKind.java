package io.aimp.gateway.shout;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The registration of the test kind {@code shout}: its settings reader and its executor. A gateway whose context
 * imports this runs shout models; in the product a kind's two beans are components of its package.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ShoutSettings.Reader.class, ShoutExecutor.class})
public class ShoutKind {
}
