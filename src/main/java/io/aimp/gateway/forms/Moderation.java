package io.aimp.gateway.forms;

import io.aimp.gateway.catalog.SettingsReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The moderation of a form: built-in checks per field that need no provider (a blocklist, PII detectors that refuse
 * or mask, prompt-injection patterns in free text) and, optionally, a provider check over the release's routes for
 * the listed categories.
 *
 * @param fields             field id → its checks
 * @param providerCategories the categories a provider is asked to flag; empty: no provider check
 */
public record Moderation(Map<String, FieldModeration> fields, List<String> providerCategories) {

    static final Moderation NONE = new Moderation(Map.of(), List.of());
    static final int MAX_BLOCKLIST = 500;
    static final int MAX_CATEGORIES = 20;
    private static final Pattern CATEGORY = Pattern.compile("^[a-z][a-z0-9_]{0,39}$");
    private static final Set<String> BLOCK_FIELDS = SettingsReader.fields("fields", "provider");
    private static final Set<String> FIELD_FIELDS = SettingsReader.fields("blocklist", "pii", "pii_types", "injection");

    /** What a PII detector does with what it finds. */
    public enum PiiAction { ALLOW, MASK, REFUSE }

    /** The kinds of personal data the built-in detectors find. */
    public enum Pii {
        CARD, IBAN, EMAIL, PHONE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param blocklist  words and phrases refused in the field (case-insensitive, whole words)
     * @param pii        what the detectors do in this field
     * @param piiTypes   which detectors run
     * @param injection  whether prompt-injection patterns are refused (on by default for text and textarea)
     */
    public record FieldModeration(Pattern blocklist, PiiAction pii, Set<Pii> piiTypes, boolean injection) {
    }

    /** One flagged check: the field, and the category (e.g. {@code pii.card}, {@code blocklist}, {@code violence}). */
    public record Flag(String field, String category) {
    }

    FieldModeration of(FormField field) {
        FieldModeration m = fields.get(field.id());
        if (m != null) {
            return m;
        }
        return new FieldModeration(null, PiiAction.ALLOW, Set.of(), field.type().freeText());
    }

    static Moderation read(JsonNode node, Set<String> ids, SettingsReader in) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!in.mapping(node, "form.moderation", "with fields and provider")) {
            return NONE;
        }
        in.unknownFields(node, "form.moderation", BLOCK_FIELDS);
        Map<String, FieldModeration> fields = new LinkedHashMap<>();
        JsonNode f = node.get("fields");
        if (f != null && in.mapping(f, "form.moderation.fields", "of field id to {blocklist, pii, pii_types, injection}")) {
            for (String id : f.propertyNames()) {
                String path = "form.moderation.fields." + id;
                if (!ids.contains(id)) {
                    in.problem(path, "is not a field of this form");
                    continue;
                }
                JsonNode m = f.get(id);
                if (in.mapping(m, path, "with blocklist, pii, pii_types and injection")) {
                    fields.put(id, field(m, path, in));
                }
            }
        }
        List<String> categories = new ArrayList<>();
        JsonNode p = node.get("provider");
        if (p != null && in.mapping(p, "form.moderation.provider", "with categories")) {
            in.unknownFields(p, "form.moderation.provider", SettingsReader.fields("categories"));
            JsonNode c = p.get("categories");
            if (c == null || !c.isArray() || c.isEmpty() || c.size() > MAX_CATEGORIES) {
                in.problem("form.moderation.provider.categories", "must list 1 to " + MAX_CATEGORIES
                        + " categories, e.g. [hate, violence]");
            } else {
                for (JsonNode n : c) {
                    if (!n.isString() || !CATEGORY.matcher(n.stringValue()).matches()) {
                        in.problem("form.moderation.provider.categories", "'" + n.asString() + "' must match " + CATEGORY.pattern());
                    } else {
                        categories.add(n.stringValue());
                    }
                }
            }
        }
        return new Moderation(Map.copyOf(fields), List.copyOf(categories));
    }

    private static FieldModeration field(JsonNode m, String path, SettingsReader in) {
        in.unknownFields(m, path, FIELD_FIELDS);
        Pattern blocklist = null;
        JsonNode b = m.get("blocklist");
        if (b != null) {
            List<String> words = new ArrayList<>();
            if (!b.isArray() || b.size() > MAX_BLOCKLIST) {
                in.problem(path + ".blocklist", "must list at most " + MAX_BLOCKLIST + " words or phrases");
            } else {
                for (JsonNode w : b) {
                    if (!w.isString() || w.stringValue().isBlank()) {
                        in.problem(path + ".blocklist", "must list non-empty strings");
                    } else {
                        words.add(Pattern.quote(w.stringValue().strip()));
                    }
                }
            }
            if (!words.isEmpty()) {
                blocklist = Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + String.join("|", words) + ")(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            }
        }
        PiiAction pii = PiiAction.ALLOW;
        String action = in.string(m, "pii", path, false);
        if (action != null) {
            try {
                pii = PiiAction.valueOf(action.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                in.problem(path + ".pii", "must be allow, mask or refuse");
            }
        }
        Set<Pii> types = new LinkedHashSet<>(List.of(Pii.values()));
        JsonNode t = m.get("pii_types");
        if (t != null) {
            types.clear();
            if (!t.isArray() || t.isEmpty()) {
                in.problem(path + ".pii_types", "must list some of card, iban, email, phone");
            } else {
                for (JsonNode n : t) {
                    try {
                        types.add(Pii.valueOf(n.asString("").toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        in.problem(path + ".pii_types", "'" + n.asString() + "' is not one of card, iban, email, phone");
                    }
                }
            }
        }
        JsonNode inj = m.get("injection");
        if (inj != null && !inj.isBoolean()) {
            in.problem(path + ".injection", "must be true or false");
        }
        return new FieldModeration(blocklist, pii, Set.copyOf(types), inj == null || inj.asBoolean());
    }

    // --- the built-in detectors ---

    private static final Pattern CARD = Pattern.compile("(?<![\\w])\\d(?:[ -]?\\d){12,18}(?![\\w])");
    private static final Pattern IBAN = Pattern.compile(
            "(?<![\\w])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\\w])");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])(?:\\+|00)?\\(?\\d[\\d ().\\-/]{6,20}\\d(?![\\w])");
    private static final Pattern ISO_DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
    private static final List<Pattern> INJECTION = List.of(
            Pattern.compile("\\b(ignore|disregard|forget|override)\\b.{0,30}\\b(previous|prior|above|earlier|all|your|system)\\b"
                    + ".{0,20}\\b(instructions?|prompts?|rules|directions)\\b"),
            Pattern.compile("\\b(reveal|show|print|repeat|leak|output)\\b.{0,20}\\b(system prompt|hidden prompt|initial prompt|"
                    + "your (instructions|prompt|rules))\\b"),
            Pattern.compile("\\byou are now\\b.{0,40}\\b(unrestricted|jailbroken|dan|developer mode|no (rules|limits|restrictions))\\b"),
            Pattern.compile("\\b(jailbreak|developer mode|do anything now)\\b"),
            Pattern.compile("</?\\s*(system|assistant|instructions?)\\s*>"),
            Pattern.compile("(^|\\n)\\s*(system|assistant)\\s*:"));

    /** The text with every {@code type} found replaced by {@code [type]}; the same text when none is found. */
    static String mask(String text, Set<Pii> types) {
        String out = text;
        for (Pii p : Pii.values()) {
            if (types.contains(p)) {
                out = replace(out, p);
            }
        }
        return out;
    }

    /** The first kind of personal data found in {@code text}, or {@code null}. */
    static Pii find(String text, Set<Pii> types) {
        for (Pii p : Pii.values()) {
            if (types.contains(p) && !replace(text, p).equals(text)) {
                return p;
            }
        }
        return null;
    }

    private static String replace(String text, Pii p) {
        Matcher m = switch (p) {
            case CARD -> CARD.matcher(text);
            case IBAN -> IBAN.matcher(text);
            case EMAIL -> EMAIL.matcher(text);
            case PHONE -> PHONE.matcher(text);
        };
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String found = m.group();
            boolean real = switch (p) {
                case CARD -> luhn(digits(found));
                case IBAN -> iban(found.replace(" ", ""));
                case EMAIL -> true;
                case PHONE -> phone(found);
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(real ? "[" + p.wireName() + "]" : found));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String digits(String s) {
        return s.replaceAll("\\D", "");
    }

    /** The Luhn checksum card numbers carry: a mistyped or made-up number of 13 to 19 digits fails it. */
    static boolean luhn(String digits) {
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** ISO 13616: the country and check digits moved to the end, letters as numbers, the whole mod 97 is 1. */
    static boolean iban(String s) {
        if (s.length() < 15 || s.length() > 34) {
            return false;
        }
        StringBuilder n = new StringBuilder();
        for (char c : (s.substring(4) + s.substring(0, 4)).toCharArray()) {
            n.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(n.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    private static boolean phone(String s) {
        int n = digits(s).length();
        return n >= 8 && n <= 15 && !ISO_DATE.matcher(s.strip()).matches();
    }

    /** Whether {@code text} carries a known prompt-injection pattern. */
    static boolean injection(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return INJECTION.stream().anyMatch(p -> p.matcher(lower).find());
    }

    /** Whether a blocklisted word or phrase occurs in {@code text}. */
    static boolean blocked(Pattern blocklist, String text) {
        return blocklist != null && blocklist.matcher(text).find();
    }
}
