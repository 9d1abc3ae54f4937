package io.aimp.gateway.providers.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.ImageRequest;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.ProviderSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalProviderTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final String ARTICLE = """
            Solar panels convert sunlight into electricity. The weather was pleasant on Tuesday. \
            Modern solar panels reach an efficiency of over twenty percent, and solar electricity is now cheap. \
            My cousin likes to bake bread. Installing solar panels on a roof lowers electricity bills. \
            Cats sleep a lot.""";

    final LocalProvider provider = new LocalProvider("local", ProviderSettings.local());

    static ChatRequest summarize(String text) {
        return ChatRequest.of(LocalProvider.EXTRACTIVE_SUMMARY,
                List.of(ChatMessage.system("ignored"), ChatMessage.user("an earlier turn"), ChatMessage.user(text)));
    }

    @Test
    void should_return_sentences_of_the_input_about_its_main_topic_in_original_order() {
        // when
        ChatResult result = provider.chat(summarize(ARTICLE), TIMEOUT);

        // then: 6 sentences → 2 picked, both about the main topic, verbatim and in input order
        List<String> input = ExtractiveSummarizer.sentences(ARTICLE);
        List<String> picked = ExtractiveSummarizer.sentences(result.text());
        assertThat(picked).hasSize(2).allSatisfy(s -> {
            assertThat(input).contains(s);
            assertThat(s.toLowerCase()).contains("solar");
        });
        assertThat(input.indexOf(picked.get(0))).isLessThan(input.indexOf(picked.get(1)));
        assertThat(result.finishReason()).isEqualTo("stop");
    }

    @Test
    void should_be_deterministic() {
        // when
        String first = provider.chat(summarize(ARTICLE), TIMEOUT).text();
        String second = new LocalProvider("local", ProviderSettings.local()).chat(summarize(ARTICLE), TIMEOUT).text();

        // then
        assertThat(second).isEqualTo(first);
    }

    @Test
    void should_return_a_single_sentence_unchanged_and_an_empty_input_as_empty() {
        // expect
        assertThat(provider.chat(summarize("  Just one sentence here.  "), TIMEOUT).text()).isEqualTo("Just one sentence here.");
        assertThat(provider.chat(summarize(""), TIMEOUT).text()).isEmpty();
        assertThat(provider.chat(ChatRequest.of(LocalProvider.EXTRACTIVE_SUMMARY, List.of()), TIMEOUT).text()).isEmpty();
    }

    @Test
    void should_count_words_exactly_as_usage() {
        // when
        ChatResult result = provider.chat(summarize("One two three. Four five."), TIMEOUT);

        // then
        assertThat(result.text()).isEqualTo("One two three.");
        assertThat(result.usage().inputTokens()).isEqualTo(5);
        assertThat(result.usage().outputTokens()).isEqualTo(3);
        assertThat(result.usage().units()).isEqualTo(5);
        assertThat(result.usage().estimated()).isFalse();
    }

    @Test
    void should_answer_not_found_for_an_unknown_local_model() {
        // when
        ProviderFailure failure = catchThrowableOfType(ProviderFailure.class,
                () -> provider.chat(ChatRequest.of("gpt-5", List.of(ChatMessage.user("hi"))), TIMEOUT));

        // then
        assertThat(failure.failureClass()).isEqualTo(FailureClass.NOT_FOUND);
        assertThat(failure.fallbackAllowed()).isTrue();
    }

    @Test
    void should_refuse_an_operation_outside_its_capabilities_as_unsupported() {
        // when
        ProviderFailure failure = catchThrowableOfType(ProviderFailure.class,
                () -> provider.generateImages(new ImageRequest("x", "a cat", 1, "256x256"), TIMEOUT));

        // then
        assertThat(failure.failureClass()).isEqualTo(FailureClass.UNSUPPORTED);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("images");
    }
}
