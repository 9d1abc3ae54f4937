package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.assistants.AssistantSettings;
import io.aimp.gateway.chat.ChatSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat: and assistant: blocks are checked when the catalog loads. */
class KindBlocksTest {

    @TempDir
    Path dir;

    private List<String> problems(String kind, String block) throws IOException {
        write(kind, block);
        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> TestKinds.loader("local").load(new CatalogProperties(dir, false)));
        return e == null ? List.of() : e.problems();
    }

    private PublishedModel model(String kind, String block) throws IOException {
        write(kind, block);
        return TestKinds.loader("local").load(new CatalogProperties(dir, false)).getFirst();
    }

    private void write(String kind, String block) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), """
                slug: block-test
                kind: %s
                visibility: public
                modes:
                  chat:
                    input: {type: object}
                releases:
                  - version: 1.0.0
                    routes: [{provider: local, model: m}]
                %s
                """.formatted(kind, block));
    }

    @Test
    void should_give_every_knowledge_base_search_the_same_top_k_default_and_range() throws IOException {
        KnowledgeBase retrieval = model("chat", "chat: {retrieval: {model: kb, scope: docs}}")
                .settings(ChatSettings.class).retrieval();
        KnowledgeBase tool = model("assistant", "assistant: {tools: {knowledge_search: {model: kb, scope: docs, min_score: 0.5}}}")
                .settings(AssistantSettings.class).knowledgeSearch();

        assertThat(retrieval).isEqualTo(new KnowledgeBase("kb", null, "docs", KnowledgeBase.DEFAULT_TOP_K, 0.0));
        assertThat(tool).isEqualTo(new KnowledgeBase("kb", null, "docs", KnowledgeBase.DEFAULT_TOP_K, 0.5));
        assertThat(problems("chat", "chat: {retrieval: {model: kb, scope: docs, top_k: 51}}"))
                .containsExactly(dir.resolve("m.yaml") + ": chat.retrieval.top_k must be a whole number from 1 to 50");
        assertThat(problems("assistant", "assistant: {tools: {knowledge_search: {model: kb, scope: docs, top_k: 51}}}"))
                .containsExactly(dir.resolve("m.yaml") + ": assistant.tools.knowledge_search.top_k must be a whole number from 1 to 50");
    }

    @Test
    void should_accept_valid_chat_and_assistant_blocks() throws IOException {
        assertThat(problems("chat", """
                chat:
                  persona: "You help {{input.user}}."
                  memory: {turns: 4, max_tokens: 2000}
                  retrieval: {model: kb, collection: docs, scope: docs, top_k: 3, min_score: 0.3}
                  retention: {days: 7}
                """)).isEmpty();
        assertThat(problems("assistant", """
                assistant:
                  instructions: "Be brief."
                  max_steps: 5
                  tools:
                    knowledge_search: {model: kb, scope: docs}
                    run_model: {models: [demo-model]}
                    http_get: {}
                    run_code: {timeout_ms: 500}
                """)).isEmpty();
    }

    @Test
    void should_name_each_problem_of_a_chat_block() throws IOException {
        assertThat(problems("chat", """
                chat:
                  persona: "{{#unclosed}}"
                  memory: {turns: -1}
                  retrieval: {model: kb, scope: "bad scope!", top_k: 0}
                  answer: poetry
                  mood: cheerful
                """)).anySatisfy(p -> assertThat(p).contains("chat.persona"))
                .anySatisfy(p -> assertThat(p).contains("chat.memory.turns"))
                .anySatisfy(p -> assertThat(p).contains("chat.retrieval.scope"))
                .anySatisfy(p -> assertThat(p).contains("chat.retrieval.top_k"))
                .anySatisfy(p -> assertThat(p).contains("chat.answer"))
                .anySatisfy(p -> assertThat(p).contains("chat.mood"));
    }

    @Test
    void should_name_each_problem_of_an_assistant_block() throws IOException {
        assertThat(problems("assistant", """
                assistant:
                  max_steps: 0
                  max_tool_calls_per_step: 33
                  tools:
                    shell: {}
                    run_model: {}
                    knowledge_search: {scope: docs}
                """)).anySatisfy(p -> assertThat(p).contains("assistant.max_steps"))
                .anySatisfy(p -> assertThat(p).contains("assistant.max_tool_calls_per_step").contains("from 1 to 32"))
                .anySatisfy(p -> assertThat(p).contains("assistant.tools.shell"))
                .anySatisfy(p -> assertThat(p).contains("assistant.tools.run_model.models"))
                .anySatisfy(p -> assertThat(p).contains("assistant.tools.knowledge_search.model"));
    }
}
