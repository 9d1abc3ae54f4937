package io.aimp.gateway.content;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.ParseErrorList;
import org.jsoup.parser.Parser;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * The HTML rules of content, all with jsoup: what a post may contain (a safelist of text markup, links with
 * http(s)/mailto URLs and images with http(s) sources; no script, style, event handler, frame or SVG), and the
 * facts the edit checks compare.
 */
final class Html {

    /** jsoup's relaxed list (headings, lists, tables, links, images, code) with safe URL protocols only. */
    private static final Safelist SAFE = Safelist.relaxed()
            .removeProtocols("a", "href", "ftp")
            .addAttributes("a", "title")
            .addAttributes(":all", "id");
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private Html() {
    }

    /** {@code html} with everything outside the safelist removed; plain text stays text (escaped). */
    static String sanitize(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        Document dirty = Jsoup.parseBodyFragment(html);
        Document clean = new Cleaner(SAFE).clean(dirty);
        clean.outputSettings(OUTPUT);
        return clean.body().html();
    }

    /** Whether sanitizing would leave {@code html} as it is in meaning: nothing in it is outside the safelist. */
    static boolean safe(String html) {
        return html == null || Jsoup.isValid(html, SAFE);
    }

    /** The parse problems of {@code html} as a body fragment (unclosed or stray tags); empty when well-formed. */
    static List<String> parseErrors(String html) {
        ParseErrorList errors = ParseErrorList.tracking(20);
        Parser.parseFragment(html == null ? "" : html, new Element("body"), "", errors);
        return errors.stream().map(e -> e.getErrorMessage()).toList();
    }

    /** The text a reader sees, without markup. */
    static String text(String html) {
        return html == null ? "" : Jsoup.parseBodyFragment(html).text();
    }

    /** A plain-text field (title, excerpt, tag) from model output: markup dropped, whitespace collapsed. */
    static String plain(String text) {
        return text(text).strip();
    }

    static List<String> links(String html) {
        return attributes(html, "a[href]", "href");
    }

    static List<String> images(String html) {
        return attributes(html, "img[src]", "src");
    }

    private static List<String> attributes(String html, String query, String attribute) {
        List<String> out = new ArrayList<>();
        for (Element e : Jsoup.parseBodyFragment(html == null ? "" : html).select(query)) {
            out.add(e.attr(attribute));
        }
        out.sort(null);
        return out;
    }

    /**
     * The section under the first heading ({@code h1}..{@code h6}) whose text is {@code heading}: from the end of
     * its end tag to the start of the next heading of the same or a higher level (or the end), as offsets into
     * {@code html}; {@code null} when there is no such heading or its section is empty.
     */
    static int[] section(String html, String heading) {
        Document doc = Jsoup.parse(html, "", Parser.htmlParser().setTrackPosition(true));
        List<Element> headings = doc.body().select("h1, h2, h3, h4, h5, h6");
        for (int i = 0; i < headings.size(); i++) {
            Element h = headings.get(i);
            if (!h.text().strip().equals(heading.strip()) || !h.endSourceRange().isTracked()) {
                continue;
            }
            int level = h.tagName().charAt(1) - '0';
            int start = h.endSourceRange().endPos();
            int end = html.length();
            for (Element next : headings.subList(i + 1, headings.size())) {
                if (next.tagName().charAt(1) - '0' <= level && next.sourceRange().isTracked()) {
                    end = next.sourceRange().startPos();
                    break;
                }
            }
            return end > start ? new int[] {start, end} : null;
        }
        return null;
    }

    /** The outer HTML of every {@code elements} element and every match of {@code patterns}, in document order per rule. */
    static List<String> protectedSpans(String html, List<String> elements, List<Pattern> patterns) {
        List<String> out = new ArrayList<>();
        String source = html == null ? "" : html;
        Document doc = Jsoup.parseBodyFragment(source);
        doc.outputSettings(OUTPUT);
        for (String name : elements) {
            for (Element e : doc.body().getElementsByTag(name)) {
                out.add(name + ": " + e.outerHtml());
            }
        }
        for (Pattern p : patterns) {
            Matcher m = p.matcher(source);
            while (m.find()) {
                out.add(p.pattern() + ": " + m.group());
            }
        }
        return out;
    }
}
