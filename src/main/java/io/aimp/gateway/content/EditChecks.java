package io.aimp.gateway.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks of an edit, all reported on every edit; the release names the ones that must pass before an edit
 * is saved ({@link ContentSettings#checks()}). Output that sanitizing would change ({@code safe_html}) is never
 * saved, whatever the release requires.
 */
final class EditChecks {

    /**
     * One check's outcome.
     *
     * @param detail what was compared, e.g. {@code links: 2 before, 1 after}
     */
    record Check(String name, boolean passed, boolean required, String detail) {
    }

    private EditChecks() {
    }

    /**
     * @param source         the text before the edit
     * @param edited         the whole text after it
     * @param targetLanguage the language a translation must be in, or {@code null} to keep the source's
     */
    static List<Check> run(ContentSettings s, String source, String edited, String targetLanguage) {
        List<Check> out = new ArrayList<>();
        boolean safe = Html.safe(edited);
        out.add(new Check("safe_html", safe, true, safe ? "nothing outside the allowed HTML"
                : "the text holds HTML the sanitizer removes"));
        List<String> errors = Html.parseErrors(edited);
        out.add(check(s, "well_formed", errors.isEmpty(), errors.isEmpty() ? "no parse errors"
                : errors.size() + " parse error(s), first: " + errors.getFirst()));
        List<String> linksBefore = Html.links(source);
        List<String> linksAfter = Html.links(edited);
        out.add(check(s, "links_preserved", linksBefore.equals(linksAfter),
                "links: " + linksBefore.size() + " before, " + linksAfter.size() + " after"));
        List<String> imagesBefore = Html.images(source);
        List<String> imagesAfter = Html.images(edited);
        out.add(check(s, "images_preserved", imagesBefore.equals(imagesAfter),
                "images: " + imagesBefore.size() + " before, " + imagesAfter.size() + " after"));
        int before = Html.text(source).length();
        int after = Html.text(edited).length();
        long changePercent = before == 0 ? (after == 0 ? 0 : 100) : Math.round(Math.abs(after - before) * 100.0 / before);
        out.add(check(s, "length", changePercent <= s.maxLengthChange(), "text length " + before + " → " + after
                + " (" + changePercent + "% change, at most " + s.maxLengthChange() + "%)"));
        String sourceLanguage = Languages.detect(Html.text(source));
        String expected = targetLanguage != null ? targetLanguage : sourceLanguage;
        String found = Languages.detect(Html.text(edited));
        boolean languageOk = expected == null || found == null || Objects.equals(expected, found);
        out.add(check(s, "language", languageOk, "expected " + (expected == null ? "not determined" : expected)
                + ", found " + (found == null ? "not determined" : found)));
        List<String> spansBefore = Html.protectedSpans(source, s.protectedElements(), s.protectedPatterns());
        List<String> spansAfter = Html.protectedSpans(edited, s.protectedElements(), s.protectedPatterns());
        out.add(check(s, "protected_spans", spansBefore.equals(spansAfter),
                spansBefore.size() + " protected span(s) before, " + spansAfter.size() + " after"
                        + (spansBefore.equals(spansAfter) ? ", unchanged" : ", changed")));
        return out;
    }

    private static Check check(ContentSettings s, String name, boolean passed, String detail) {
        return new Check(name, passed, s.checks().contains(name), detail);
    }

    static boolean requiredPassed(List<Check> checks) {
        return checks.stream().allMatch(c -> c.passed() || !c.required());
    }
}
