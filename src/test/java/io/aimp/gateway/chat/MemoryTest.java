package io.aimp.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory policy keeps whole recent turns within the turn count and the token budget. */
class MemoryTest {

    private static ConversationMessage m(String role, String content) {
        return new ConversationMessage("m", "c", 0, role, content, null, null, 0);
    }

    static final List<ConversationMessage> HISTORY = List.of(m("user", "q1"), m("assistant", "a1"),
            m("user", "q2".repeat(20)), m("assistant", "a2"), m("user", "q3"), m("assistant", "a3"));

    @Test
    void should_keep_the_last_turns() {
        assertThat(Memory.window(HISTORY, 2, null)).extracting(ConversationMessage::content)
                .containsExactly("q2".repeat(20), "a2", "q3", "a3");
        assertThat(Memory.window(HISTORY, 0, null)).isEmpty();
    }

    @Test
    void should_drop_whole_oldest_turns_past_the_token_budget() {
        assertThat(Memory.window(HISTORY, 10, 5)).extracting(ConversationMessage::content).containsExactly("q3", "a3");
    }

    @Test
    void should_never_start_with_a_reply() {
        assertThat(Memory.window(HISTORY.subList(1, 6), 10, null)).first().extracting(ConversationMessage::role).isEqualTo("user");
    }
}
