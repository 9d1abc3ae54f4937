package io.aimp.gateway.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Model HTML passes the content safelist: no script, handler, script URL, frame, SVG or style survives. */
class HtmlSanitizerTest {

    /** Thirty classic XSS payloads (script, handlers, script URLs, SVG, frames, encoded and obfuscated forms). */
    static final List<String> PAYLOADS = List.of(
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"https://ok.example/a.png\" onload=\"alert(1)\">",
            "<body onload=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
            "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">x</a>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<svg onload=alert(1)></svg>",
            "<svg><script>alert(1)</script></svg>",
            "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<object data=\"javascript:alert(1)\"></object>",
            "<embed src=\"javascript:alert(1)\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<style>@import 'javascript:alert(1)';</style>",
            "<link rel=stylesheet href=\"javascript:alert(1)\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
            "<form action=\"javascript:alert(1)\"><button>go</button></form>",
            "<input autofocus onfocus=alert(1)>",
            "<details open ontoggle=alert(1)>x</details>",
            "<scr<script>ipt>alert(1)</scr</script>ipt>",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;<img src=\"x\" onerror=\"&#97;lert(1)\"></p>");

    @Test
    void should_keep_no_payload_in_model_html() {
        assertThat(PAYLOADS).hasSize(30);
        for (String payload : PAYLOADS) {
            String clean = Html.sanitize("<p>Intro</p>" + payload);
            assertThat(dangerous(clean)).as(payload + " → " + clean).isEmpty();
            assertThat(Html.safe(clean)).as(clean).isTrue();
        }
    }

    @Test
    void should_keep_the_markup_a_post_needs() {
        String post = "<h2>Title</h2><p>Read <a href=\"https://example.com/a\">this</a> and "
                + "<strong>that</strong>.</p><ul><li>one</li></ul><img src=\"https://example.com/i.png\" alt=\"i\">"
                + "<pre><code>x &lt; y</code></pre>";

        assertThat(Html.sanitize(post)).isEqualTo(post);
    }

    /** What must never be in sanitized HTML (lower-cased): executable tags, handlers and script URLs. */
    static List<String> dangerous(String html) {
        String h = html.toLowerCase(Locale.ROOT);
        return List.of("<script", "<svg", "<iframe", "<object", "<embed", "<style", "<link", "<meta", "<form",
                        "<input", "<math", " on", "javascript:", "vbscript:", "data:", "style=", "srcdoc")
                .stream().filter(h::contains).toList();
    }
}
