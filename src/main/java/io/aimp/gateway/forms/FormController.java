package io.aimp.gateway.forms;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The renderable definition of a form, for any frontend to draw it: fields with labels, options, bounds and help,
 * and the rules' messages. Never the prompts, routes or moderation lists. Visible to whoever may see the model in the
 * marketplace (its workspace visibility and the key's model allowlist).
 */
@RestController
@RequestMapping("/api/forms")
class FormController {

    private final CatalogService catalog;

    FormController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/{slug}")
    Map<String, Object> get(Principal principal, @PathVariable String slug) {
        PublishedModel model = catalog.find(slug)
                .filter(m -> m.kind().equals(FormSettings.KIND))
                .filter(m -> CatalogService.availableTo(principal, m))
                .orElseThrow(() -> GatewayException.notFound("form '" + Printable.of(slug) + "'"));
        return view(model);
    }

    static Map<String, Object> view(PublishedModel model) {
        FormSettings form = model.settings(FormSettings.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "form");
        out.put("id", model.id());
        out.put("slug", model.slug());
        out.put("name", model.name());
        out.put("description", model.description());
        out.put("mode", FormSettings.MODE);
        out.put("version", model.current().version());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FormField f : form.fields()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", f.id());
            v.put("label", f.label());
            v.put("type", f.type().wireName());
            v.put("required", f.required());
            putIf(v, "min", f.min());
            putIf(v, "max", f.max());
            if (f.type() == FieldType.TEXT || f.type() == FieldType.TEXTAREA || f.type() == FieldType.EMAIL
                    || f.type() == FieldType.URL) {
                v.put("min_length", f.minLength());
                v.put("max_length", f.maxLength());
            }
            putIf(v, "pattern", f.pattern() == null ? null : f.pattern().pattern());
            if (!f.options().isEmpty()) {
                List<Map<String, String>> options = new ArrayList<>();
                f.options().forEach((value, label) -> options.add(Map.of("value", value, "label", label)));
                v.put("options", options);
            }
            putIf(v, "default", f.fallback());
            putIf(v, "placeholder", f.placeholder());
            putIf(v, "help", f.help());
            putIf(v, "message", f.message());
            fields.add(v);
        }
        out.put("fields", fields);
        out.put("rules", form.rules().stream().map(r -> Map.of("field", r.field(), "message", r.message())).toList());
        out.put("output", form.structured() ? "json" : "text");
        model.mode(FormSettings.MODE).ifPresent(m -> putIf(out, "output_schema", m.outputSchema()));
        out.put("params", form.sampling().allow().stream().sorted().toList());
        return out;
    }

    private static void putIf(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
