package io.aimp.gateway.api;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands the request's {@link Principal} to controller methods that declare it. */
final class PrincipalArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Principal.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binders) {
        Object p = request.getAttribute(EdgeFilter.PRINCIPAL, RequestAttributes.SCOPE_REQUEST);
        if (p == null) {
            throw unauthenticated();
        }
        return p;
    }

    static GatewayException unauthenticated() {
        return GatewayException.unauthenticated("authentication_required", "this route needs an API key or an access token");
    }
}
