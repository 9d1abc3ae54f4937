package io.aimp.gateway.webhooks;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.common.Times;
import io.aimp.gateway.egress.EgressException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Webhooks: endpoints a workspace's admins register for event types, and the events features publish.
 * Publishing writes one pending delivery per subscribed endpoint (in the caller's transaction when it
 * has one, so an event commits with what it reports); {@link WebhookDeliverer} sends them later, on its
 * own threads, so publishing never waits for a receiver.
 */
@Service
public class WebhookService {

    static final String PING = "webhook.ping";
    private static final Set<String> FIELDS = Set.of("url", "events", "description");
    private static final int MAX_URL = 2048;
    private static final int MAX_DESCRIPTION = 200;
    private static final int MAX_PAGE = 100;

    private final WebhookStore store;
    private final WebhookProperties properties;
    private final WebhookEgress egress;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, WebhookEventType> types = new TreeMap<>();
    private volatile Runnable signal = () -> { };

    WebhookService(WebhookStore store, WebhookProperties properties, WebhookEgress egress, ObjectMapper json, Clock clock,
                   List<WebhookEventType> eventTypes) {
        this.store = store;
        this.properties = properties;
        this.egress = egress;
        this.json = json;
        this.clock = clock;
        for (WebhookEventType t : eventTypes) {
            if (types.put(t.name(), t) != null) {
                throw new IllegalStateException("two features declare the webhook event type " + t.name());
            }
        }
    }

    void onPublished(Runnable signal) {
        this.signal = signal;
    }

    /** The event types endpoints may subscribe to, by name. */
    public Set<String> eventTypes() {
        return types.keySet();
    }

    /**
     * Publishes an event of {@code type} for the workspace: one pending delivery per endpoint subscribed to
     * it, written in the caller's transaction when there is one. Cheap when nothing is subscribed (one query).
     *
     * @param data the event's {@code data}: plain values, maps, lists and JSON nodes, written as JSON
     * @return how many deliveries were queued
     * @throws IllegalArgumentException for a type no feature declared
     */
    public int publish(String workspaceId, String type, Object data) {
        if (!types.containsKey(type)) {
            throw new IllegalArgumentException("no feature declares the webhook event type " + type);
        }
        List<WebhookEndpoint> endpoints = store.subscribed(workspaceId, type);
        if (endpoints.isEmpty()) {
            return 0;
        }
        queue(workspaceId, type, data, endpoints);
        signal.run();
        return endpoints.size();
    }

    private List<WebhookDelivery> queue(String workspaceId, String type, Object data, List<WebhookEndpoint> endpoints) {
        long now = clock.millis();
        String eventId = Ids.newId("evt", now);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("object", "event");
        event.put("type", type);
        event.put("created_at", Times.instant(now).toString());
        event.put("workspace_id", workspaceId);
        event.put("data", data);
        String payload = json.writeValueAsString(event);
        List<WebhookDelivery> queued = new ArrayList<>();
        for (WebhookEndpoint e : endpoints) {
            WebhookDelivery d = new WebhookDelivery(Ids.newId("whd", now), workspaceId, e.id(), eventId, type, payload,
                    DeliveryStatus.PENDING, 0, now, null, null, null, now, now, null);
            store.insertDelivery(d);
            queued.add(d);
        }
        return queued;
    }

    /** Registers an endpoint; its view carries the signing secret, the only time it is shown. */
    public Map<String, Object> create(Principal principal, JsonNode body) {
        principal.require(Permission.MANAGE_WEBHOOKS);
        if (body == null || !body.isObject()) {
            throw GatewayException.invalid("invalid_body", "the request body must be a JSON object {url, events, description}");
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw GatewayException.invalidField("unknown_field", "$." + Printable.of(name),
                        "unknown field; allowed fields: url, events, description");
            }
        }
        JsonNode url = body.get("url");
        if (url == null || !url.isString() || url.stringValue().isBlank() || url.stringValue().length() > MAX_URL) {
            throw GatewayException.invalidField("invalid_url", "$.url",
                    "url is required: the http or https URL events are POSTed to (at most " + MAX_URL + " characters)");
        }
        try {
            egress.client().check(url.stringValue());
        } catch (EgressException e) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "webhook_url_not_allowed",
                    "events cannot be sent there: " + e.getMessage() + " (the operator lists the hosts webhooks may call in "
                            + WebhookProperties.ALLOWLIST + ")").error("$.url", e.getMessage()).build();
        }
        List<String> events = events(body.get("events"));
        JsonNode description = body.get("description");
        if (description != null && !description.isNull()
                && (!description.isString() || description.stringValue().length() > MAX_DESCRIPTION)) {
            throw GatewayException.invalidField("invalid_description", "$.description",
                    "description must be a string of at most " + MAX_DESCRIPTION + " characters");
        }
        WebhookEndpoint endpoint = new WebhookEndpoint(Ids.newId("whe"), principal.workspaceId(), url.stringValue(), events,
                WebhookSignature.newSecret(), description == null || description.isNull() ? null : description.stringValue(),
                principal.userId(), clock.millis());
        if (!store.insertEndpoint(endpoint, properties.maxEndpointsPerWorkspace())) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "too_many_webhook_endpoints",
                    "this workspace already has " + properties.maxEndpointsPerWorkspace() + " webhook endpoints, the most "
                            + "allowed (aimp.webhooks.max-endpoints-per-workspace): delete one first").status(409).build();
        }
        Map<String, Object> view = view(endpoint);
        view.put("secret", endpoint.secret());
        return view;
    }

    private List<String> events(JsonNode events) {
        String known = String.join(", ", types.keySet());
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw GatewayException.invalidField("invalid_events", "$.events",
                    "events is required: a list of event types, from: " + known);
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            if (!e.isString() || !types.containsKey(e.stringValue())) {
                throw GatewayException.invalidField("unknown_event_type", "$.events[" + i + "]",
                        "not an event type; the event types are: " + known);
            }
            names.add(e.stringValue());
        }
        return List.copyOf(names);
    }

    public Map<String, Object> list(Principal principal) {
        principal.require(Permission.MANAGE_WEBHOOKS);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", store.endpoints(principal.workspaceId()).stream().map(WebhookService::view).toList());
        return page;
    }

    public Map<String, Object> get(Principal principal, String id) {
        return view(endpoint(principal, id));
    }

    public void delete(Principal principal, String id) {
        principal.require(Permission.MANAGE_WEBHOOKS);
        if (!store.deleteEndpoint(principal.workspaceId(), id)) {
            throw notFound(id);
        }
    }

    public Map<String, Object> deliveries(Principal principal, String id, int limit, int offset) {
        WebhookEndpoint endpoint = endpoint(principal, id);
        if (limit < 1 || limit > MAX_PAGE) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (offset < 0 || offset > 1_000_000) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must be between 0 and 1000000");
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", store.deliveries(principal.workspaceId(), endpoint.id(), limit, offset).stream()
                .map(WebhookService::view).toList());
        page.put("limit", limit);
        page.put("offset", offset);
        return page;
    }

    /** Queues a {@code webhook.ping} event to this endpoint alone, whatever it subscribed to. */
    public Map<String, Object> ping(Principal principal, String id) {
        WebhookEndpoint endpoint = endpoint(principal, id);
        WebhookDelivery d = queue(principal.workspaceId(), PING, Map.of("endpoint_id", endpoint.id()), List.of(endpoint))
                .getFirst();
        signal.run();
        return view(d);
    }

    private WebhookEndpoint endpoint(Principal principal, String id) {
        principal.require(Permission.MANAGE_WEBHOOKS);
        return store.findEndpoint(principal.workspaceId(), id).orElseThrow(() -> notFound(id));
    }

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("webhook endpoint " + Printable.of(id));
    }

    private static Map<String, Object> view(WebhookEndpoint e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("object", "webhook_endpoint");
        v.put("url", e.url());
        v.put("events", e.events());
        v.put("description", e.description());
        v.put("created_at", Times.instant(e.createdAt()).toString());
        return v;
    }

    static Map<String, Object> view(WebhookDelivery d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("object", "webhook_delivery");
        v.put("endpoint_id", d.endpointId());
        v.put("event_id", d.eventId());
        v.put("event_type", d.eventType());
        v.put("status", d.status().wireName());
        v.put("attempts", d.attempts());
        v.put("response_status", d.responseStatus());
        v.put("last_error", d.lastError());
        v.put("next_attempt_at", d.status() == DeliveryStatus.PENDING ? Times.instant(d.nextAttemptAt()).toString() : null);
        v.put("created_at", Times.instant(d.createdAt()).toString());
        v.put("completed_at", d.completedAt() == null ? null : Times.instant(d.completedAt()).toString());
        return v;
    }
}
