package io.aimp.gateway.content;

import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The language of a text (ISO 639-1, e.g. {@code en}), with the n-gram profiles the detector ships (about 70
 * languages), loaded once on first use. {@code null} when the text is too short or mixed to tell.
 */
final class Languages {

    /** Below this many letters a guess is not worth reporting. */
    static final int MIN_CHARS = 20;

    private Languages() {
    }

    private static final class Holder {
        static final LanguageDetector DETECTOR = build();
        static final TextObjectFactory TEXTS = CommonTextObjectFactories.forDetectingOnLargeText();

        private static LanguageDetector build() {
            try {
                return LanguageDetectorBuilder.create(NgramExtractors.standard())
                        .withProfiles(new LanguageProfileReader().readAllBuiltIn()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("the language profiles of the detector cannot be read", e);
            }
        }
    }

    static String detect(String text) {
        if (text == null || text.codePoints().filter(Character::isLetter).count() < MIN_CHARS) {
            return null;
        }
        var found = Holder.DETECTOR.detect(Holder.TEXTS.forText(text));
        return found.isPresent() ? found.get().getLanguage().toLowerCase(Locale.ROOT) : null;
    }

    /** {@code de-AT}, {@code DE} or {@code de} → {@code de}. */
    static String normalize(String language) {
        if (language == null || language.isBlank()) {
            return null;
        }
        return LdLocale.fromString(language.strip().replace('_', '-')).getLanguage().toLowerCase(Locale.ROOT);
    }
}
