package io.aimp.gateway.providers;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import java.util.List;

/**
 * A provider refused the request as malformed (HTTP 400/422). Another route would refuse it too,
 * so the router stops there instead of falling back.
 */
public final class ProviderRejectedRequest extends RoutingException {

    ProviderRejectedRequest(List<Attempt> attempts) {
        super(GatewayException.of(ErrorCategory.PROVIDER, "provider_rejected_request",
                "The provider rejected the request: " + summary(attempts)).status(502), attempts);
    }
}
