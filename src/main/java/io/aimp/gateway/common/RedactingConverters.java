package io.aimp.gateway.common;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place secrets are taken out of log lines: API keys (only their display prefix stays),
 * refresh tokens, JWTs, bearer credentials, provider keys, the signed part of upload URL tokens
 * (wherever a URL or path is logged, e.g. a framework warning about a {@code ../} path; the upload id
 * before it stays) and {@code password=...}-style pairs.
 * Wired into every log message and stack trace by logback-spring.xml.
 */
public final class RedactingConverters {

    private static final Pattern API_KEY = Pattern.compile("(aimp_sk_[A-Za-z0-9]{4})[A-Za-z0-9]+");
    private static final Pattern REFRESH = Pattern.compile("aimp_rt_[A-Za-z0-9]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
    private static final Pattern PROVIDER_KEY = Pattern.compile("\\b(sk-(?:ant-)?)[A-Za-z0-9_-]{12,}");
    // studio_upload_<id>.<expiry>.<signature>, the dots possibly percent-encoded, the signature possibly altered
    private static final Pattern UPLOAD_TOKEN = Pattern.compile("(studio_upload_[A-Za-z0-9]{1,64})(?:\\.|%2[Ee])[0-9A-Za-z.%]+");
    private static final Pattern PAIR = Pattern.compile(
            "(?i)((?:password|passwd|secret|api[_-]?key|x-api-key|authorization|access_token|refresh_token|token)\"?\\s*[:=]\\s*\"?)[^\"\\s,;}&]+");

    private RedactingConverters() {
    }

    public static String redact(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String out = API_KEY.matcher(s).replaceAll("$1…[redacted]");
        out = REFRESH.matcher(out).replaceAll("aimp_rt_[redacted]");
        out = JWT.matcher(out).replaceAll("[redacted-jwt]");
        out = BEARER.matcher(out).replaceAll("$1[redacted]");
        out = PROVIDER_KEY.matcher(out).replaceAll("$1[redacted]");
        out = UPLOAD_TOKEN.matcher(out).replaceAll("$1.[redacted]");
        out = PAIR.matcher(out).replaceAll("$1[redacted]");
        return out;
    }

    /** {@code %msg} with secrets removed. */
    public static final class Message extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return redact(super.convert(event));
        }
    }

    /** Stack traces with secrets removed from every message in them. */
    public static final class Throwable extends ExtendedThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return redact(super.convert(event));
        }
    }
}
