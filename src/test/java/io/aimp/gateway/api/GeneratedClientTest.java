package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.client.ApiClient;
import io.aimp.gateway.client.ApiException;
import io.aimp.gateway.client.api.MarketplaceControllerApi;
import io.aimp.gateway.client.api.MediaControllerApi;
import io.aimp.gateway.client.api.RunControllerApi;
import io.aimp.gateway.client.model.Media;
import io.aimp.gateway.client.model.MediaCompleteRequest;
import io.aimp.gateway.client.model.MediaInitRequest;
import io.aimp.gateway.client.model.ModelDetail;
import io.aimp.gateway.client.model.ModelList;
import io.aimp.gateway.client.model.ModelSummary;
import io.aimp.gateway.client.model.Run;
import io.aimp.gateway.client.model.RunRequest;
import io.aimp.gateway.client.model.UploadReceipt;
import io.aimp.gateway.client.model.UploadTicket;
import io.aimp.gateway.support.GatewayHttpTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java client generated at build time from the committed {@code docs/openapi.json}
 * (openapi-generator, {@code java}/{@code native}) against a gateway on a free port: the seed's run
 * example, a media upload (init → PUT → complete) and the marketplace, typed end to end.
 */
class GeneratedClientTest extends GatewayHttpTest {

    private ApiClient client;

    @BeforeEach
    void client() {
        client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + port);
        // the native library applies no security scheme by itself: the key goes on as a header
        client.setRequestInterceptor(request -> request.header("X-API-Key", OWNER_KEY));
    }

    @Test
    void should_run_the_seed_example_through_the_generated_client() throws ApiException {
        RunRequest seed = new RunRequest().model("demo-model").mode("execute").scope("playground")
                .input(Map.of("text", "Write a one-line summary.")).params(Map.of());

        Run run = new RunControllerApi(client).postRuns(seed, null);

        assertThat(run.getId()).startsWith("run_");
        assertThat(run.getStatus()).isEqualTo(Run.StatusEnum.SUCCEEDED);
        assertThat(run.getModel()).isEqualTo("demo-model");
        assertThat(run.getScope()).isEqualTo("playground");
        // output is any JSON value: the schema leaves it open, the client keeps it among the additional properties
        assertThat(run.getAdditionalProperty("output")).isNotNull();
        assertThat(run.getCreatedAt()).isNotNull();
        assertThat(new RunControllerApi(client).getRunsById(run.getId()).getStatus()).isEqualTo(Run.StatusEnum.SUCCEEDED);
    }

    @Test
    void should_upload_media_with_init_put_and_complete() throws Exception {
        byte[] bytes = "Notes uploaded through the generated client.\n".getBytes(StandardCharsets.UTF_8);
        MediaControllerApi media = new MediaControllerApi(client);

        UploadTicket ticket = media.postMediaUploadInit(new MediaInitRequest().filename("notes.txt")
                .contentType("text/plain").mediaType(MediaInitRequest.MediaTypeEnum.FILE).sizeBytes((long) bytes.length));
        assertThat(ticket.getUploadId()).startsWith("studio_upload_");
        // the bytes go to the ticket's upload_url as they are (no API key: the URL is the credential). The native
        // library serializes every body as JSON, a binary one too, so the PUT is made with its HTTP client directly;
        // upload_url names the public URL (gateway.test here), the request goes to this gateway's port
        String path = URI.create(ticket.getUploadUrl()).getRawPath();
        HttpResponse<String> put = client.getHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        UploadReceipt receipt = client.getObjectMapper().readValue(put.body(), UploadReceipt.class);
        assertThat(receipt.getSizeBytes()).isEqualTo(bytes.length);
        assertThat(receipt.getUploadId()).isEqualTo(ticket.getUploadId());
        Media done = media.postMediaUploadComplete(new MediaCompleteRequest().uploadId(ticket.getUploadId()));

        assertThat(done.getMediaRef()).startsWith("media_");
        assertThat(done.getSizeBytes()).isEqualTo(bytes.length);
        assertThat(done.getMediaType()).isEqualTo("file");
        assertThat(media.getMediaByMediaRef(done.getMediaRef()).getFilename()).isEqualTo("notes.txt");
    }

    @Test
    void should_read_the_marketplace_and_surface_problems_as_api_exceptions() {
        MarketplaceControllerApi market = new MarketplaceControllerApi(client);

        ModelList models = assertOk(() -> market.getMarketplaceModels(null, null, null, null));
        assertThat(models.getData()).extracting(ModelSummary::getSlug).contains("demo-model");
        ModelDetail detail = assertOk(() -> market.getMarketplaceModelsBySlug("demo-model"));
        assertThat(detail.getSlug()).isEqualTo("demo-model");
        assertThat(detail.getModes()).isNotEmpty();

        assertThatThrownBy(() -> market.getMarketplaceModelsBySlug("no-such-model"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getResponseBody()).contains("\"code\"").contains("request_id");
                });
    }

    private interface Call<T> {
        T call() throws ApiException;
    }

    private static <T> T assertOk(Call<T> call) {
        try {
            return call.call();
        } catch (ApiException e) {
            throw new AssertionError("HTTP " + e.getCode() + ": " + e.getResponseBody(), e);
        }
    }
}
