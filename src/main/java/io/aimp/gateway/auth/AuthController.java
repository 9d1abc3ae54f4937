package io.aimp.gateway.auth;

import io.aimp.gateway.common.GatewayException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browser sign-in: login, refresh, logout, accepting an invitation. Public routes (they carry their own credentials).
 *
 * <p>A client that asks for it ({@code "cookie": true} on login or refresh) gets its refresh token in an
 * {@code HttpOnly; Secure; SameSite=Strict} cookie scoped to {@code /api/auth} instead of the JSON body, so a
 * browser session survives a reload without any script seeing the token. Refresh and logout read the cookie when
 * the body carries no token; the cookie is only honoured on a JSON request (a cross-site form cannot send one
 * without a preflight, and SameSite=Strict keeps it off cross-site requests anyway). Logout clears it.
 */
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

    /** The refresh token's cookie (see the class comment). */
    static final String REFRESH_COOKIE = "aimp_refresh";
    private static final String COOKIE_PATH = "/api/auth";

    record LoginRequest(String email, String password, String workspaceId, Boolean cookie) {
    }

    record RefreshRequest(String refreshToken, Boolean cookie) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
                         long refreshExpiresIn, String workspaceId, String role, Map<String, String> user) {
        static TokenResponse of(SessionService.Tokens t) {
            return of(t, t.refreshToken());
        }

        static TokenResponse of(SessionService.Tokens t, String refreshToken) {
            return new TokenResponse(t.accessToken(), "Bearer", t.expiresIn(), refreshToken, t.refreshExpiresIn(),
                    t.workspaceId(), t.role().wireName(), Map.of("id", t.userId(), "email", t.email()));
        }
    }

    @PostMapping("/login")
    ResponseEntity<TokenResponse> login(@RequestBody LoginRequest body, HttpServletRequest request) {
        return answer(sessions.login(body.email(), body.password(), body.workspaceId(), request.getRemoteAddr()),
                Boolean.TRUE.equals(body.cookie()));
    }

    /** Rotates the refresh token from the body, else from the cookie (then the new one goes into the cookie too). */
    @PostMapping("/refresh")
    ResponseEntity<TokenResponse> refresh(@RequestBody RefreshRequest body, HttpServletRequest request) {
        String presented = body.refreshToken();
        boolean fromCookie = false;
        if (presented == null || presented.isEmpty()) {
            presented = cookie(request);
            fromCookie = presented != null;
        }
        return answer(sessions.refresh(presented), fromCookie || Boolean.TRUE.equals(body.cookie()));
    }

    /** Accepts an invitation to a workspace; then sign in with {@code workspace_id} of the answer. */
    @PostMapping("/invitations/accept")
    InvitationService.Accepted accept(@RequestBody AcceptInvitationRequest body, HttpServletRequest request) {
        return invitations.accept(body.token(), body.password(), request.getRemoteAddr());
    }

    /** Ends the session of the body's refresh token, else the cookie's; the cookie is cleared either way. */
    @PostMapping("/logout")
    ResponseEntity<Void> logout(@RequestBody RefreshRequest body, HttpServletRequest request) {
        String presented = body.refreshToken();
        sessions.logout(presented == null || presented.isEmpty() ? cookie(request) : presented);
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, refreshCookie("", Duration.ZERO)).build();
    }

    private static ResponseEntity<TokenResponse> answer(SessionService.Tokens tokens, boolean inCookie) {
        if (!inCookie) {
            return ResponseEntity.ok(TokenResponse.of(tokens));
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, refreshCookie(tokens.refreshToken(), Duration.ofSeconds(tokens.refreshExpiresIn())))
                .body(TokenResponse.of(tokens, null));
    }

    private static String refreshCookie(String value, Duration maxAge) {
        return ResponseCookie.from(REFRESH_COOKIE, value).httpOnly(true).secure(true).sameSite("Strict")
                .path(COOKIE_PATH).maxAge(maxAge).build().toString();
    }

    /** The refresh cookie's token; only on a JSON request (what a cross-site form cannot send). */
    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        String type = request.getContentType();
        boolean json;
        try {
            json = type != null && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(type));
        } catch (RuntimeException e) {
            json = false;
        }
        for (Cookie c : cookies) {
            if (REFRESH_COOKIE.equals(c.getName()) && !c.getValue().isEmpty()) {
                if (!json) {
                    throw GatewayException.forbidden("cookie_needs_json", "the refresh cookie is only accepted on a JSON request");
                }
                return c.getValue();
            }
        }
        return null;
    }
}
