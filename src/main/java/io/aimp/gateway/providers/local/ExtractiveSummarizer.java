package io.aimp.gateway.providers.local;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Classic frequency-based extractive summarisation (Luhn-style): it never writes a word of its
 * own, it picks whole sentences of the input. Sentences are scored by the frequency of their
 * content words (stop words excluded), normalised by the square root of their length so neither
 * fragments nor run-on sentences win by size; the best 1 to 3 are returned in their original
 * order. Deterministic: ties go to the earlier sentence.
 */
final class ExtractiveSummarizer {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
            "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
            "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
            "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
            "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not",
            "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
            "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
            "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
            "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
            "with", "would", "you", "your", "yours", "yourself", "yourselves", "it's", "don't", "i'm", "we're");

    private ExtractiveSummarizer() {
    }

    static String summarize(String text) {
        List<String> sentences = sentences(text);
        if (sentences.size() <= 1) {
            return sentences.isEmpty() ? "" : sentences.getFirst();
        }
        List<List<String>> words = sentences.stream().map(ExtractiveSummarizer::contentWords).toList();
        Map<String, Integer> frequency = new HashMap<>();
        words.forEach(ws -> ws.forEach(w -> frequency.merge(w, 1, Integer::sum)));
        int max = frequency.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        double[] score = new double[sentences.size()];
        for (int i = 0; i < score.length; i++) {
            List<String> ws = words.get(i);
            double sum = ws.stream().mapToDouble(w -> frequency.get(w) / (double) max).sum();
            score[i] = ws.isEmpty() ? 0 : sum / Math.sqrt(ws.size());
        }
        int keep = Math.min(3, Math.max(1, (int) Math.round(sentences.size() / 3.0)));
        return IntStream.range(0, sentences.size()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparing(i -> i))
                .limit(keep)
                .sorted()
                .map(sentences::get)
                .reduce((a, b) -> a + " " + b)
                .orElse("");
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text);
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            // a blank line also ends a sentence (headings, list items without a full stop)
            for (String part : text.substring(start, end).split("\\n\\s*\\n")) {
                String s = part.strip().replaceAll("\\s+", " ");
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    static List<String> contentWords(String sentence) {
        List<String> out = new ArrayList<>();
        for (String w : words(sentence)) {
            if (!STOP_WORDS.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
