package io.aimp.gateway.chat;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.Times;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/conversations}: the stored conversations of chatbots. Turns are runs: {@code POST /api/runs}, mode {@code chat}. */
@RestController
@RequestMapping("/api/conversations")
class ConversationController {

    private final ConversationService conversations;

    ConversationController(ConversationService conversations) {
        this.conversations = conversations;
    }

    @GetMapping
    Map<String, Object> list(Principal principal,
                             @RequestParam(required = false) String chatbot,
                             @RequestParam(required = false) String user,
                             @RequestParam(defaultValue = "20") int limit,
                             @RequestParam(defaultValue = "0") int offset) {
        ConversationService.Page page = conversations.list(principal, chatbot, user, limit, offset);
        List<Map<String, Object>> data = page.items().stream().map(ConversationController::view).toList();
        return Map.of("object", "list", "data", data, "total", page.total(), "limit", limit, "offset", offset);
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Principal principal, @PathVariable String id) {
        Conversation c = conversations.get(principal, id);
        Map<String, Object> view = view(c);
        view.put("messages", conversations.messages(principal, id).stream().map(ConversationController::view).toList());
        return view;
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Principal principal, @PathVariable String id) {
        conversations.delete(principal, id);
    }

    private static Map<String, Object> view(Conversation c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", c.id());
        v.put("object", "conversation");
        v.put("chatbot", c.modelSlug());
        v.put("user", c.endUser());
        v.put("message_count", c.messageCount());
        v.put("created_at", Times.instant(c.createdAt()));
        v.put("updated_at", Times.instant(c.updatedAt()));
        return v;
    }

    private static Map<String, Object> view(ConversationMessage m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("role", m.role());
        v.put("content", m.content());
        if (m.citations() != null) {
            v.put("citations", m.citations());
        }
        v.put("run_id", m.runId());
        v.put("created_at", Times.instant(m.createdAt()));
        return v;
    }
}
