package io.aimp.gateway.auth;

import io.aimp.gateway.common.GatewayException;
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
    private final InvitationService invitations;

    MemberController(AccountService accounts, InvitationService invitations) {
        this.accounts = accounts;
        this.invitations = invitations;
    }

    /** {@code password} is declared only to refuse it by name: nobody sets another person's password. */
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

    /** Invites a person; they become a member when they accept the invitation (see {@link InvitationService}). */
    @PostMapping("/api/members")
    ResponseEntity<InvitationService.InvitationView> add(Principal principal, @RequestBody AddMemberRequest body) {
        if (body.password() != null) {
            throw GatewayException.invalidField("password_not_accepted", "$.password",
                    "a member's password is set by that person when accepting the invitation, never by whoever adds them;"
                            + " remove the password field");
        }
        Role role = body.role() == null ? null : Role.parse(body.role(), "$.role");
        var inv = invitations.invite(principal, new InvitationService.Invite(body.email(), body.name(), role));
        return ResponseEntity.created(URI.create("/api/invitations/" + inv.id())).body(inv);
    }

    @GetMapping("/api/invitations")
    Map<String, Object> invitations(Principal principal) {
        return Map.of("object", "list", "data", invitations.pending(principal));
    }

    @DeleteMapping("/api/invitations/{id}")
    ResponseEntity<Void> revokeInvitation(Principal principal, @PathVariable String id) {
        invitations.revoke(principal, id);
        return ResponseEntity.noContent().build();
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
