package io.aimp.gateway.content;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import com.samskivert.mustache.Template;
import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import io.aimp.gateway.runs.RunOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code content} kind. {@code generate} makes a post step by step (one provider call per step, each with
 * the step's template, later steps seeing earlier results as {@code post.*}); {@code edit} applies a named
 * operation or a free-form instruction to a text or a saved post, optionally to a selection only, and reports
 * the diff and the checks. Model HTML is always sanitized. Nothing is saved unless {@code params.save} is true
 * (and, for an edit, every required check passed); a save is a new revision, written in the transaction that
 * commits the run.
 */
@Component
class ContentExecutor implements RunExecutor {

    static final int MAX_LIST_ITEMS = 20;
    static final int MAX_NAME_CHARS = 100;
    static final String DEFAULT_POST_TYPE = "post";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PostStore store;
    private final FeaturedImages featured;
    private final ObjectMapper json;
    private final Clock clock;

    ContentExecutor(PostStore store, FeaturedImages featured, ObjectMapper json, Clock clock) {
        this.store = store;
        this.featured = featured;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Kind kind() {
        return ContentSettings.KIND;
    }

    /** {@code dry_run}: report what would change and save nothing; {@code again}: edit a post already edited. */
    @Override
    public Set<String> options() {
        return Set.of(RunOptions.DRY_RUN, RunOptions.AGAIN);
    }

    /** Whether the run saves: {@code params.save}, unless it is a dry run. */
    private static boolean saving(Execution run) {
        return run.params().path("save").asBoolean(false) && !run.dryRun();
    }

    /** {@code params.save} keeps a post or a revision in the content library. */
    @Override
    public void refuseSideEffects(Mode mode, ObjectNode params) {
        if (params.path("save").asBoolean(false)) {
            throw RunExecutor.sideEffectRefused("$.params.save", "save keeps the result in the content library");
        }
    }

    @Override
    public ExecutionResult execute(Execution run) {
        ContentSettings s = run.model().settings(ContentSettings.class);
        Calls calls = new Calls(run, s);
        ObjectNode output = switch (run.mode().name()) {
            case ContentSettings.GENERATE -> generate(run, s, calls);
            case ContentSettings.EDIT -> edit(run, s, calls);
            default -> throw GatewayException.of(ErrorCategory.CONFIGURATION, "unknown_mode",
                    "the content kind has no mode " + Printable.of(run.mode().name())).build();
        };
        return new ExecutionResult(output, calls.usage(), calls.provider, calls.providerModel);
    }

    // ---- generate

    private ObjectNode generate(Execution run, ContentSettings s, Calls calls) {
        JsonNode in = run.input();
        if (blank(in, "title") && blank(in, "topic") && blank(in, "prompt")) {
            throw GatewayException.invalidField("invalid_input", "input", "needs at least one of title, topic or prompt");
        }
        List<String> steps = steps(run.params(), s);
        JsonNode postParams = run.params().path("post");
        String status = status(postParams, s);
        String postType = text(postParams, "type", text(in, "post_type", DEFAULT_POST_TYPE));
        JsonNode metadata = postParams.path("metadata").isObject() ? postParams.get("metadata") : NODES.objectNode();
        // checked before any provider call: the image model to run, and a featured image the caller already has
        FeaturedImages.Request image = featured.request(run.principal(), run.params());
        String featuredImage = featured.existing(run.principal(), postParams.get("featured_image"),
                "params.post.featured_image");

        Map<String, Object> produced = new LinkedHashMap<>();
        if (!blank(in, "title")) {
            produced.put("title", Html.plain(in.get("title").asString()));
        }
        for (String step : steps) {
            String answer = calls.ask(step, s.steps().get(step), scope(run, Map.of("post", produced)));
            produced.put(step, switch (step) {
                case "content" -> Html.sanitize(unfenced(answer));
                case "tags", "categories" -> names(unfenced(answer));
                default -> Html.plain(unfenced(answer));
            });
        }
        List<String> categories = union(strings(postParams.path("categories")), list(produced.get("categories")));
        List<String> tags = union(strings(postParams.path("tags")), list(produced.get("tags")));
        String imageRun = null;
        if (image != null && run.dryRun()) {
            // a dry run stores nothing: no image is made
            run.logStep("content", "featured_image", "skipped", 0, "{\"reason\":\"dry run\"}");
        } else if (image != null && (featuredImage == null || image.overwrite())) {
            long start = System.nanoTime();
            FeaturedImages.Made made = featured.make(run, image, featurePrompt(in, produced));
            run.logStep("content", "featured_image", "ok", (System.nanoTime() - start) / 1_000_000,
                    json.writeValueAsString(java.util.Map.of("run_id", made.runId(), "model", image.model())));
            featuredImage = made.mediaRef();
            imageRun = made.runId();
        } else if (image != null) {
            // an existing featured image is never replaced unless the run asks with overwrite: true
            run.logStep("content", "featured_image", "skipped", 0, "{\"reason\":\"the post has a featured image\"}");
        }
        long now = clock.millis();
        Post post = new Post(Ids.newId("post"), run.principal().workspaceId(), run.principal().userId(), postType,
                status, (String) produced.get("title"), Objects.toString(produced.get("content"), ""),
                (String) produced.get("excerpt"), tags, categories, (String) produced.get("seo_description"),
                metadata, featuredImage, 1, now, now);
        ObjectNode output = view(post);
        if (imageRun != null) {
            output.put("featured_image_run_id", imageRun);
        }
        if (run.dryRun()) {
            output.put("dry_run", true);
        }
        if (saving(run)) {
            Revision revision = new Revision(post, 1, run.runId(), run.model().slug(), run.release().version(),
                    ContentSettings.GENERATE, run.principal().userId(), now);
            run.onSuccessfulCommit(() -> store.create(post, revision));
            output.put("post_id", post.id());
            output.put("revision", 1);
        }
        return output;
    }

    /** The image prompt made from the post: its title (or the topic or prompt asked for) and its excerpt. */
    static String featurePrompt(JsonNode in, Map<String, Object> produced) {
        String subject = produced.get("title") instanceof String t && !t.isBlank() ? t
                : text(in, "topic", text(in, "prompt", ""));
        StringBuilder prompt = new StringBuilder("A featured image for the blog post \"").append(subject).append('"');
        if (produced.get("excerpt") instanceof String e && !e.isBlank()) {
            prompt.append(": ").append(e);
        }
        return prompt.length() > FeaturedImages.MAX_PROMPT_CHARS
                ? prompt.substring(0, FeaturedImages.MAX_PROMPT_CHARS) : prompt.toString();
    }

    private static List<String> steps(JsonNode params, ContentSettings s) {
        JsonNode asked = params.get("steps");
        if (asked == null) {
            return List.copyOf(s.steps().keySet());
        }
        if (!asked.isArray() || asked.isEmpty()) {
            throw GatewayException.invalidField("invalid_parameter", "params.steps",
                    "must be a list of steps of this model: " + String.join(", ", s.steps().keySet()));
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            String step = asked.get(i).asString("");
            if (!s.steps().containsKey(step)) {
                throw GatewayException.invalidField("invalid_parameter", "params.steps[" + i + "]",
                        "is not a step of this model (known: " + String.join(", ", s.steps().keySet()) + ")");
            }
            chosen.add(step);
        }
        // in the model's order, so later steps can use earlier results
        return s.steps().keySet().stream().filter(chosen::contains).toList();
    }

    private static String status(JsonNode postParams, ContentSettings s) {
        JsonNode status = postParams.get("status");
        if (status == null || status.isNull()) {
            return s.defaultStatus();
        }
        if (!status.isString() || !s.statuses().contains(status.asString())) {
            throw GatewayException.invalidField("invalid_parameter", "params.post.status",
                    "must be one of the statuses this model may set: " + String.join(", ", s.statuses()));
        }
        return status.asString();
    }

    // ---- edit

    private ObjectNode edit(Execution run, ContentSettings s, Calls calls) {
        JsonNode in = run.input();
        Post post = null;
        String source;
        if (!blank(in, "post_id") && in.has("text")) {
            throw GatewayException.invalidField("invalid_input", "input", "give either text or post_id, not both");
        }
        if (!blank(in, "post_id")) {
            post = visiblePost(run, in.get("post_id").asString());
            source = post.contentHtml();
        } else if (in.has("text") && in.get("text").isString()) {
            source = in.get("text").asString();
        } else {
            throw GatewayException.invalidField("invalid_input", "input", "needs text or post_id");
        }
        if (blank(in, "instruction") == blank(in, "operation")) {
            throw GatewayException.invalidField("invalid_input", "input", "give either instruction or operation");
        }
        String operation;
        Template template;
        if (!blank(in, "operation")) {
            operation = in.get("operation").asString();
            template = s.operations().get(operation);
            if (template == null) {
                throw GatewayException.invalidField("invalid_input", "input.operation",
                        "is not an operation of this model (known: " + String.join(", ", s.operations().keySet()) + ")");
            }
        } else {
            operation = "instruction";
            template = s.instruction();
        }
        String target = text(run.params(), "target_language", text(in, "target_language", null));
        if ("translate".equals(operation) && target == null) {
            throw GatewayException.invalidField("missing_parameter", "params.target_language",
                    "is required for translate, e.g. \"de\"");
        }
        boolean save = saving(run);
        boolean again = run.again() || run.params().path("again").asBoolean(false);
        if (post != null && (save || run.dryRun()) && !"instruction".equals(operation) && !again
                && store.editedBy(post.workspaceId(), post.id(), run.model().slug(), run.release().version(), operation)) {
            // a bulk edit run again (or resumed) does not edit a post twice with the same release and operation
            ObjectNode skipped = NODES.objectNode();
            skipped.put("text", source);
            skipped.put("diff", "");
            skipped.putArray("checks");
            skipped.put("saved", false);
            skipped.put("skipped", "already edited by " + run.model().slug() + " " + run.release().version()
                    + " with " + operation + "; options.again edits it again");
            if (run.dryRun()) {
                skipped.put("dry_run", true);
                skipped.put("would_change", false);
            }
            skipped.put("post_id", post.id());
            skipped.put("revision", post.revision());
            return skipped;
        }
        int[] range = selection(in.get("selection"), source);
        String selected = source.substring(range[0], range[1]);
        Map<String, Object> extra = new HashMap<>();
        extra.put("text", selected);
        extra.put("target_language", target == null ? "" : target);
        String answer = calls.ask(operation, template, scope(run, extra));
        String edited = source.substring(0, range[0]) + Html.sanitize(unfenced(answer)) + source.substring(range[1]);

        List<EditChecks.Check> checks = EditChecks.run(s, source, edited, Languages.normalize(target));
        ArrayNode checkNodes = json.valueToTree(checks.stream().map(ContentExecutor::view).toList());
        ObjectNode output = NODES.objectNode();
        output.put("text", edited);
        output.put("diff", diff(source, edited));
        output.set("checks", checkNodes);
        output.put("saved", save);
        if (run.dryRun()) {
            // what a saving run would do: change the post when the text changed and every required check passed
            output.put("dry_run", true);
            output.put("would_change", !edited.equals(source) && EditChecks.requiredPassed(checks));
            if (post != null) {
                output.put("post_id", post.id());
            }
        }
        if (!save) {
            return output;
        }
        if (!EditChecks.requiredPassed(checks)) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "checks_failed",
                    "the edit was not saved: " + String.join(", ", checks.stream()
                            .filter(c -> c.required() && !c.passed()).map(EditChecks.Check::name).toList())
                            + " failed").status(422).with("checks", checks.stream().map(ContentExecutor::view).toList()).build();
        }
        long now = clock.millis();
        String user = run.principal().userId();
        if (post != null) {
            Post base = post;
            int number = base.revision() + 1;
            Post next = new Post(base.id(), base.workspaceId(), base.userId(), base.postType(), base.status(),
                    base.title(), edited, base.excerpt(), base.tags(), base.categories(), base.seoDescription(),
                    base.metadata(), base.featuredImage(), number, base.createdAt(), now);
            Revision revision = new Revision(next, number, run.runId(), run.model().slug(), run.release().version(),
                    operation, user, now);
            run.onSuccessfulCommit(() -> {
                if (!store.append(revision)) {
                    throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "post_changed",
                            "post " + base.id() + " changed or was deleted while the edit ran; run it again")
                            .status(409).build();
                }
            });
            output.put("post_id", base.id());
            output.put("revision", number);
        } else {
            Post created = new Post(Ids.newId("post"), run.principal().workspaceId(), user, DEFAULT_POST_TYPE,
                    s.defaultStatus(), null, edited, null, List.of(), List.of(), null, NODES.objectNode(), null, 1, now, now);
            Revision revision = new Revision(created, 1, run.runId(), run.model().slug(), run.release().version(),
                    operation, user, now);
            run.onSuccessfulCommit(() -> store.create(created, revision));
            output.put("post_id", created.id());
            output.put("revision", 1);
        }
        return output;
    }

    /** A post the caller may edit: members their own, admins any of the workspace; others' are not found. */
    private Post visiblePost(Execution run, String id) {
        return store.find(run.principal().workspaceId(), id)
                .filter(p -> run.principal().can(Permission.VIEW_ALL_LOGS)
                        || Objects.equals(p.userId(), run.principal().userId()))
                .orElseThrow(() -> GatewayException.notFound("post " + Printable.of(id)));
    }

    /**
     * {@code [start, end)} of the selection in UTF-16 code units (as JavaScript counts): {@code {start, end}}, or
     * {@code {heading}} for what follows that heading up to the next heading of the same or a higher level; the
     * whole text without a selection.
     */
    static int[] selection(JsonNode selection, String source) {
        if (selection == null || selection.isNull()) {
            return new int[] {0, source.length()};
        }
        if (selection.isObject() && selection.has("heading")) {
            int[] section = Html.section(source, selection.get("heading").asString(""));
            if (section == null) {
                throw GatewayException.invalidField("invalid_input", "input.selection.heading",
                        "no heading (h1 to h6) of the text has this text, or its section is empty");
            }
            return section;
        }
        JsonNode start = selection.get("start");
        JsonNode end = selection.get("end");
        if (!selection.isObject() || start == null || end == null || !start.canConvertToInt() || !end.canConvertToInt()
                || !start.isIntegralNumber() || !end.isIntegralNumber()) {
            throw GatewayException.invalidField("invalid_input", "input.selection",
                    "must be {start, end} (character offsets into the text) or {heading}");
        }
        int a = start.asInt();
        int b = end.asInt();
        if (a < 0 || b <= a || b > source.length()) {
            throw GatewayException.invalidField("invalid_input", "input.selection",
                    "must satisfy 0 <= start < end <= " + source.length() + " (the text's length)");
        }
        if (Character.isLowSurrogate(source.charAt(a)) || b < source.length() && Character.isLowSurrogate(source.charAt(b))) {
            throw GatewayException.invalidField("invalid_input", "input.selection", "must not split a character");
        }
        return new int[] {a, b};
    }

    static String diff(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        Patch<String> patch = DiffUtils.diff(a, b);
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff("before", "after", a, patch, 2));
    }

    // ---- shared

    /** The provider calls of one run, one per step, each logged. */
    private static final class Calls {
        private final Execution run;
        private final ContentSettings s;
        private long inputTokens;
        private long outputTokens;
        private boolean estimated;
        private String provider = "local";
        private String providerModel = "content";

        Calls(Execution run, ContentSettings s) {
            this.run = run;
            this.s = s;
        }

        String ask(String step, Template template, Map<String, Object> scope) {
            long start = System.nanoTime();
            List<ChatMessage> messages = new ArrayList<>(2);
            if (s.system() != null) {
                messages.add(ChatMessage.system(s.system().execute(scope)));
            }
            messages.add(ChatMessage.user(template.execute(scope)));
            JsonNode temperature = run.params().get("temperature");
            Routed<ChatResult> routed = run.chat(messages, temperature != null && temperature.isNumber()
                    ? temperature.asDouble() : null, run.params().get("max_tokens"), null, List.of());
            ChatResult result = routed.value();
            if (result.usage() != null) {
                inputTokens += result.usage().inputTokens();
                outputTokens += result.usage().outputTokens();
                estimated |= result.usage().estimated();
            }
            provider = routed.route().provider();
            providerModel = result.providerModel() != null ? result.providerModel() : routed.route().model();
            String text = result.text() == null ? "" : result.text();
            run.logStep("content", step, "ok", (System.nanoTime() - start) / 1_000_000,
                    "{\"chars\":" + text.length() + "}");
            return text;
        }

        io.aimp.gateway.providers.Usage usage() {
            return new io.aimp.gateway.providers.Usage(inputTokens, outputTokens, inputTokens + outputTokens, estimated);
        }
    }

    private Map<String, Object> scope(Execution run, Map<String, Object> extra) {
        Map<String, Object> scope = new HashMap<>(extra);
        scope.put("input", json.convertValue(run.input(), Map.class));
        scope.put("params", json.convertValue(run.params(), Map.class));
        return scope;
    }

    /** The answer without a surrounding Markdown code fence (models often wrap HTML in one). */
    static String unfenced(String answer) {
        String t = answer.strip();
        if (t.startsWith("```") && t.endsWith("```") && t.length() >= 6) {
            int firstLine = t.indexOf('\n');
            if (firstLine > 0) {
                return t.substring(firstLine + 1, t.length() - 3).strip();
            }
        }
        return t;
    }

    /** Tags or categories from an answer: one per line or comma, bullets and markup dropped, distinct. */
    static List<String> names(String answer) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : answer.split("[,\\n]")) {
            String name = Html.plain(part).replaceFirst("^[-*#•\\d.)\\s]+", "").strip();
            if (!name.isEmpty() && name.length() <= MAX_NAME_CHARS && out.size() < MAX_LIST_ITEMS) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> {
                String v = Html.plain(n.asString(""));
                if (!v.isEmpty()) {
                    out.add(v);
                }
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object produced) {
        return produced == null ? List.of() : (List<String>) produced;
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private static boolean blank(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isString() || v.asString().isBlank();
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isString() && !v.asString().isBlank() ? v.asString() : fallback;
    }

    static ObjectNode view(Post p) {
        ObjectNode o = NODES.objectNode();
        o.put("title", p.title());
        o.put("content_html", p.contentHtml());
        o.put("excerpt", p.excerpt());
        ArrayNode tags = o.putArray("tags");
        p.tags().forEach(tags::add);
        ArrayNode categories = o.putArray("categories");
        p.categories().forEach(categories::add);
        o.put("seo_description", p.seoDescription());
        o.put("post_type", p.postType());
        o.put("status", p.status());
        o.set("metadata", p.metadata());
        o.put("featured_image", p.featuredImage());
        return o;
    }

    private static Map<String, Object> view(EditChecks.Check c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", c.name());
        v.put("passed", c.passed());
        v.put("required", c.required());
        v.put("detail", c.detail());
        return v;
    }
}
