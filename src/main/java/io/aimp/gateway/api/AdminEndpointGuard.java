package io.aimp.gateway.api;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The admin endpoints (health, metrics, Prometheus under {@code /api/admin}) need the admin role. The
 * check wraps every operation of every endpoint, so it runs on the endpoint that was actually
 * matched and invoked, whatever the spelling of the request path; a call without a principal (no
 * request, or a path that skipped authentication) is refused too.
 */
@Configuration(proxyBeanMethods = false)
class AdminEndpointGuard {

    @Bean
    static OperationInvokerAdvisor adminOnly() {
        return (endpointId, operationType, parameters, invoker) -> context -> {
            requireAdmin();
            return invoker.invoke(context);
        };
    }

    static void requireAdmin() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        Object principal = attributes == null ? null : attributes.getAttribute(EdgeFilter.PRINCIPAL, RequestAttributes.SCOPE_REQUEST);
        if (!(principal instanceof Principal p)) {
            throw GatewayException.unauthenticated("authentication_required",
                    "this route needs an API key or an access token");
        }
        p.require(Permission.VIEW_METRICS);
    }
}
