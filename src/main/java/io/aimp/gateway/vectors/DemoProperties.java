package io.aimp.gateway.vectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo knowledge base ({@code aimp.demo.*}).
 *
 * @param indexDocs at first start, index a few passages of the gateway's own documentation into scope
 *                  {@code demo-docs} of {@code text-embed} in the default workspace, so {@code demo-chat}
 *                  answers out of the box (one run of the owner, priced and logged like any other)
 */
@ConfigurationProperties("aimp.demo")
public record DemoProperties(@DefaultValue("true") boolean indexDocs) {
}
