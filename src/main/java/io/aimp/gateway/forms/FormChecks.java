package io.aimp.gateway.forms;

import io.aimp.gateway.common.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The first two steps of a submission: every field's value, then the cross-field rules over the valid values. */
final class FormChecks {

    static final String PATH = "$.input.fields.";
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern COLOR = Pattern.compile("^#[0-9a-fA-F]{6}$");
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
    private static final Pattern TIME = Pattern.compile("^\\d{2}:\\d{2}(:\\d{2})?$");
    private static final Pattern MEDIA_REF = Pattern.compile("^media_[A-Za-z0-9_-]{1,64}$");
    static final int MAX_EMAIL = 254;
    static final int MAX_URL = 2048;

    private FormChecks() {
    }

    /** The valid values (defaults filled in, absent optional fields left out), or every field's problem. */
    record Checked(ObjectNode values, List<FieldError> errors) {
    }

    static Checked fields(FormSettings form, JsonNode given) {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        Map<String, FieldError> errors = new LinkedHashMap<>();
        for (FormField f : form.fields()) {
            JsonNode v = given.get(f.id());
            if (absent(v) && f.fallback() != null) {
                v = f.fallback();
            }
            if (absent(v)) {
                if (f.required()) {
                    errors.put(f.id(), error(f, "is required"));
                }
                continue;
            }
            String problem = check(f, v);
            if (problem != null) {
                errors.put(f.id(), error(f, problem));
            } else {
                values.set(f.id(), v);
            }
        }
        for (String name : given.propertyNames()) {
            if (form.field(name) == null) {
                errors.put(name, new FieldError(path(name), "is not a field of this form"));
            }
        }
        return new Checked(values, List.copyOf(errors.values()));
    }

    /**
     * Every rule that does not hold, one error per field (the first failing rule's message). A rule is checked when
     * the field it reports on has a value; other fields the caller left out are {@code null} in the expression.
     */
    static List<FieldError> rules(FormSettings form, ObjectNode values) {
        Map<String, FieldError> errors = new LinkedHashMap<>();
        for (FormSettings.Rule r : form.rules()) {
            if (values.has(r.field()) && !r.check().test(values) && !errors.containsKey(r.field())) {
                errors.put(r.field(), new FieldError(path(r.field()), r.message()));
            }
        }
        return List.copyOf(errors.values());
    }

    static String path(String field) {
        return FormSettings.FIELD_ID.matcher(field).matches() ? PATH + field
                : "$.input.fields['" + field.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    private static FieldError error(FormField f, String problem) {
        return new FieldError(path(f.id()), f.message() != null ? f.message() : problem);
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || (v.isString() && v.stringValue().isEmpty());
    }

    /** What is wrong with a present value of {@code f}, or {@code null} when it is valid. */
    static String check(FormField f, JsonNode v) {
        return switch (f.type()) {
            case TEXT, TEXTAREA -> text(f, v);
            case EMAIL -> !v.isString() ? "must be a string"
                    : v.stringValue().length() > MAX_EMAIL || !EMAIL.matcher(v.stringValue()).matches()
                            ? "must be an e-mail address such as name@example.com" : length(f, v.stringValue());
            case URL -> !v.isString() ? "must be a string" : !url(v.stringValue())
                    ? "must be an http or https URL such as https://example.com" : length(f, v.stringValue());
            case NUMBER, RANGE -> number(f, v);
            case SELECT, RADIO -> v.isString() && f.options().containsKey(v.stringValue()) ? null
                    : "must be one of " + String.join(", ", f.options().keySet());
            case CHECKBOX -> checkbox(f, v);
            case DATE, TIME, DATETIME -> temporal(f, v);
            case COLOR -> v.isString() && COLOR.matcher(v.stringValue()).matches() ? null
                    : "must be a colour such as #1a2b3c";
            case FILE -> v.isObject() && v.path("media_ref").isString() && MEDIA_REF.matcher(v.path("media_ref").stringValue()).matches()
                    && (v.get("filename") == null || v.get("filename").isString()) && v.size() <= 2 ? null
                    : "must be an uploaded file: {\"media_ref\": \"media_...\", \"filename\": \"...\"}";
        };
    }

    private static String text(FormField f, JsonNode v) {
        if (!v.isString()) {
            return "must be a string";
        }
        String s = v.stringValue();
        if (f.type() == FieldType.TEXT && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
            return "must be a single line";
        }
        String length = length(f, s);
        if (length != null) {
            return length;
        }
        return f.pattern() != null && !f.pattern().matcher(s).matches()
                ? "does not have the expected form (" + f.pattern().pattern() + ")" : null;
    }

    private static String length(FormField f, String s) {
        int n = s.codePointCount(0, s.length());
        if (n < f.minLength()) {
            return "must be at least " + f.minLength() + " characters long";
        }
        return n > f.maxLength() ? "must be at most " + f.maxLength() + " characters long" : null;
    }

    private static boolean url(String s) {
        if (s.length() > MAX_URL) {
            return false;
        }
        try {
            URI u = new URI(s);
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null && !u.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String number(FormField f, JsonNode v) {
        if (!v.isNumber()) {
            return "must be a number";
        }
        if (f.min() != null && v.decimalValue().compareTo(f.min().decimalValue()) < 0) {
            return "must be at least " + f.min().asString();
        }
        return f.max() != null && v.decimalValue().compareTo(f.max().decimalValue()) > 0
                ? "must be at most " + f.max().asString() : null;
    }

    private static String checkbox(FormField f, JsonNode v) {
        if (f.options().isEmpty()) {
            return v.isBoolean() ? null : "must be true or false";
        }
        if (!v.isArray()) {
            return "must be a list of the ticked options";
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode o : v) {
            if (!o.isString() || !f.options().containsKey(o.stringValue()) || !seen.add(o.stringValue())) {
                return "must list distinct options among " + String.join(", ", f.options().keySet());
            }
        }
        if (f.min() != null && seen.size() < f.min().asInt()) {
            return "must tick at least " + f.min().asInt() + " options";
        }
        return f.max() != null && seen.size() > f.max().asInt() ? "must tick at most " + f.max().asInt() + " options" : null;
    }

    private static String temporal(FormField f, JsonNode v) {
        String example = switch (f.type()) {
            case DATE -> "a date such as 2026-03-31";
            case TIME -> "a time such as 14:30";
            default -> "a date and time such as 2026-03-31T14:30";
        };
        Comparable<?> value = v.isString() ? temporal(f.type(), v.stringValue()) : null;
        if (value == null) {
            return "must be " + example;
        }
        if (f.min() != null && compare(value, temporal(f.type(), f.min().stringValue())) < 0) {
            return "must not be before " + f.min().stringValue();
        }
        return f.max() != null && compare(value, temporal(f.type(), f.max().stringValue())) > 0
                ? "must not be after " + f.max().stringValue() : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable a, Comparable b) {
        return a.compareTo(b);
    }

    /**
     * A date ({@code 2026-03-31}), time ({@code 14:30}, {@code 14:30:15}) or date-time ({@code 2026-03-31T14:30},
     * with seconds and an offset allowed) as a comparable value, or {@code null} when {@code s} is not one. A date-time
     * with an offset compares by its local time, as a form shows it.
     */
    static Comparable<?> temporal(FieldType type, String s) {
        try {
            return switch (type) {
                case DATE -> DATE.matcher(s).matches() ? LocalDate.parse(s) : null;
                case TIME -> TIME.matcher(s).matches() ? LocalTime.parse(s) : null;
                case DATETIME -> s.length() > 10 && DATE.matcher(s.substring(0, 10)).matches() && s.charAt(10) == 'T'
                        ? dateTime(s) : null;
                default -> null;
            };
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalDateTime dateTime(String s) {
        try {
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s).toLocalDateTime();
        }
    }

    /** Values the caller sent for fields: an object, or a problem for {@code $.input.fields}. */
    static List<FieldError> shape(JsonNode input) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode fields = input.get("fields");
        if (fields == null || !fields.isObject()) {
            errors.add(new FieldError("$.input.fields", "must be an object of field values"));
        }
        return errors;
    }
}
