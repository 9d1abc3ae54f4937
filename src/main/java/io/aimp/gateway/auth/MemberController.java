package io.aimp.gateway.auth;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Workspaces and their members. */
@RestController
class MemberController {

    private final AccountService accounts;

    MemberController(AccountService accounts) {
        this.accounts = accounts;
    }

    record AddMemberRequest(String email, String name, String password, String role) {
    }

    record ChangeRoleRequest(String role) {
    }

    record CreateWorkspaceRequest(String name) {
    }

    @GetMapping("/api/workspaces")
    Map<String, Object> workspaces(Principal principal) {
        return Map.of("object", "list", "data", accounts.workspaces(principal));
    }

    @PostMapping("/api/workspaces")
    ResponseEntity<AccountService.WorkspaceView> createWorkspace(Principal principal, @RequestBody CreateWorkspaceRequest body) {
        var ws = accounts.createWorkspace(principal, body.name());
        return ResponseEntity.created(URI.create("/api/workspaces/" + ws.id())).body(ws);
    }

    @GetMapping("/api/members")
    Map<String, Object> members(Principal principal) {
        List<AccountService.MemberView> data = accounts.members(principal);
        return Map.of("object", "list", "data", data);
    }

    @PostMapping("/api/members")
    ResponseEntity<AccountService.MemberView> add(Principal principal, @RequestBody AddMemberRequest body) {
        Role role = body.role() == null ? null : Role.parse(body.role(), "$.role");
        var m = accounts.addMember(principal, new AccountService.AddMember(body.email(), body.name(), body.password(), role));
        return ResponseEntity.created(URI.create("/api/members/" + m.userId())).body(m);
    }

    @PatchMapping("/api/members/{userId}")
    AccountService.MemberView changeRole(Principal principal, @PathVariable String userId, @RequestBody ChangeRoleRequest body) {
        return accounts.changeRole(principal, userId, Role.parse(body.role(), "$.role"));
    }

    @DeleteMapping("/api/members/{userId}")
    ResponseEntity<Void> remove(Principal principal, @PathVariable String userId) {
        accounts.removeMember(principal, userId);
        return ResponseEntity.noContent().build();
    }
}
