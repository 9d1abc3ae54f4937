package io.aimp.gateway.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Browser sign-in: login, refresh, logout, accepting an invitation. Public routes (they carry their own credentials). */
@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final SessionService sessions;
    private final InvitationService invitations;

    AuthController(SessionService sessions, InvitationService invitations) {
        this.sessions = sessions;
        this.invitations = invitations;
    }

    record AcceptInvitationRequest(String token, String password) {
    }

    record LoginRequest(String email, String password, String workspaceId) {
    }

    record RefreshRequest(String refreshToken) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
                         long refreshExpiresIn, String workspaceId, String role, Map<String, String> user) {
        static TokenResponse of(SessionService.Tokens t) {
            return new TokenResponse(t.accessToken(), "Bearer", t.expiresIn(), t.refreshToken(), t.refreshExpiresIn(),
                    t.workspaceId(), t.role().wireName(), Map.of("id", t.userId(), "email", t.email()));
        }
    }

    @PostMapping("/login")
    TokenResponse login(@RequestBody LoginRequest body, HttpServletRequest request) {
        return TokenResponse.of(sessions.login(body.email(), body.password(), body.workspaceId(), request.getRemoteAddr()));
    }

    @PostMapping("/refresh")
    TokenResponse refresh(@RequestBody RefreshRequest body) {
        return TokenResponse.of(sessions.refresh(body.refreshToken()));
    }

    /** Accepts an invitation to a workspace; then sign in with {@code workspace_id} of the answer. */
    @PostMapping("/invitations/accept")
    InvitationService.Accepted accept(@RequestBody AcceptInvitationRequest body, HttpServletRequest request) {
        return invitations.accept(body.token(), body.password(), request.getRemoteAddr());
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(@RequestBody RefreshRequest body) {
        sessions.logout(body.refreshToken());
        return ResponseEntity.noContent().build();
    }
}
