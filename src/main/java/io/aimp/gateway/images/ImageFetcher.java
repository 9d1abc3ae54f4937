package io.aimp.gateway.images;

import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressException;
import io.aimp.gateway.egress.EgressPolicy;
import io.aimp.gateway.media.MediaProperties;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Fetches an image a provider answered as a URL, through the egress client: hosts on
 * {@value ImagesProperties#ALLOWLIST} only, public addresses only, no redirect followed, at most the image size
 * cap read. Every refusal is the route's failure ({@link ProviderFailure}, {@code invalid_response}).
 */
@Component
class ImageFetcher {

    private final EgressClient client;
    private final long maxBytes;

    @Autowired
    ImageFetcher(ImagesProperties props, MediaProperties media) {
        this(EgressPolicy.of(ImagesProperties.ALLOWLIST, props.urlAllowedHosts(), 0, props.urlTimeout(),
                (int) Math.min(Integer.MAX_VALUE - 1, media.maxSize(io.aimp.gateway.media.MediaKind.IMAGE)) + 1));
    }

    ImageFetcher(EgressPolicy policy) {
        this.client = new EgressClient(policy);
        this.maxBytes = policy.maxResponseBytes() - 1L;
    }

    /** The bytes at {@code url}; never more than the image size cap. */
    byte[] fetch(String url) {
        EgressClient.Response r;
        try {
            r = client.get(url, Map.of("Accept", "image/*"));
        } catch (EgressException e) {
            throw ProviderFailure.of(FailureClass.INVALID_RESPONSE, "the image URL in the answer was not fetched: "
                    + e.getMessage());
        }
        if (r.status() != 200) {
            throw ProviderFailure.of(FailureClass.INVALID_RESPONSE, "the image URL in the answer answered HTTP "
                    + r.status() + (r.status() >= 300 && r.status() < 400 ? " (redirects are not followed)" : ""));
        }
        if (r.truncated() || r.body().length > maxBytes) {
            throw ProviderFailure.of(FailureClass.INVALID_RESPONSE, "the image at the URL in the answer is larger than "
                    + maxBytes + " bytes");
        }
        return r.body();
    }
}
