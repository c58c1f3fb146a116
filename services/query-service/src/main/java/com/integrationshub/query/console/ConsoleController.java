package com.integrationshub.query.console;

import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.query.security.ConsoleSessions;
import com.integrationshub.query.security.ConsoleSettings;
import com.integrationshub.runtime.security.JwtVerifier;
import com.integrationshub.runtime.security.VerifiedToken;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The console's sign-in: POST /console/login with an admin token (a form field) or GET /console/login?ticket=... with
 * a one-time login link sets the session cookie (HttpOnly, SameSite=Strict, Secure unless configured off) and sends
 * the browser to the console; GET /console/session tells the page who is signed in and its CSRF token; POST
 * /console/logout (with that token) ends it. The pages themselves are static resources under /console/.
 */
@Hidden
@Controller("/console")
public class ConsoleController {

    private static final URI CONSOLE = URI.create("/console/");
    private static final URI LOGIN_PAGE = URI.create("/console/login.html");
    private static final String INDEX = index();

    private final JwtVerifier verifier;
    private final ConsoleSessions sessions;
    private final ConsoleSettings settings;

    public ConsoleController(JwtVerifier verifier, ConsoleSessions sessions, ConsoleSettings settings) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.settings = settings;
    }

    /** Signs in with an admin token typed (pasted) into the login form. */
    @Post("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public MutableHttpResponse<?> login(@Body Map<String, String> form) {
        Optional<VerifiedToken> token = Optional.ofNullable(form.get("token"))
                .map(String::trim)
                .flatMap(verifier::verify)
                .filter(VerifiedToken::admin);
        if (token.isEmpty()) return HttpResponse.seeOther(URI.create(LOGIN_PAGE + "?error=invalid"));
        return signedIn(sessions.issue(token.get().subject()));
    }

    /** Signs in with a one-time login link (the local stack prints one); without a ticket, the login page. */
    @Get("/login")
    public MutableHttpResponse<?> loginLink(@Nullable @QueryValue String ticket) {
        if (ticket == null) return HttpResponse.seeOther(LOGIN_PAGE);
        return sessions.redeemTicket(ticket)
                .<MutableHttpResponse<?>>map(subject -> signedIn(sessions.issue(subject)))
                .orElseGet(() -> HttpResponse.seeOther(URI.create(LOGIN_PAGE + "?error=expired")));
    }

    /** Who is signed in, the CSRF token for writes, when the session ends; 401 when nobody is. */
    @Get("/session")
    public MutableHttpResponse<?> session(HttpRequest<?> request) {
        return current(request)
                .<MutableHttpResponse<?>>map(s -> HttpResponse.ok(Map.of(
                        "subject", s.subject(),
                        "csrf_token", s.csrfToken(),
                        "expires_at", s.expiresAt().toString())))
                .orElseGet(ConsoleController::notSignedIn);
    }

    /** Ends the session (clears the cookie); needs the session's CSRF token like every write. */
    @Post("/logout")
    public MutableHttpResponse<?> logout(HttpRequest<?> request) {
        Optional<ConsoleSessions.Session> session = current(request);
        if (session.isEmpty()) return notSignedIn();
        if (!session.get().csrfMatches(request.getHeaders().get(ConsoleSessions.CSRF_HEADER))) {
            return ProblemResponses.of(403, "csrf", "Forbidden", "signing out needs the session's CSRF token");
        }
        return HttpResponse.noContent().cookie(cookie("", Duration.ZERO));
    }

    /**
     * The console's page: /console/ answers its index.html (this route also takes /console/, before the static
     * resources would), /console is sent there.
     */
    @Get(produces = MediaType.TEXT_HTML)
    public MutableHttpResponse<?> console(HttpRequest<?> request) {
        if (request.getPath().equals("/console")) return HttpResponse.seeOther(CONSOLE);
        return HttpResponse.ok(INDEX).contentType(MediaType.TEXT_HTML_TYPE);
    }

    private static String index() {
        try (InputStream in = ConsoleController.class.getClassLoader().getResourceAsStream("console/index.html")) {
            if (in == null) throw new IllegalStateException("console/index.html is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<ConsoleSessions.Session> current(HttpRequest<?> request) {
        return request.getCookies().findCookie(ConsoleSessions.COOKIE).flatMap(c -> sessions.verify(c.getValue()));
    }

    private MutableHttpResponse<?> signedIn(ConsoleSessions.Issued issued) {
        return HttpResponse.seeOther(CONSOLE).cookie(cookie(issued.cookieValue(), issued.ttl()));
    }

    private Cookie cookie(String value, Duration maxAge) {
        return Cookie.of(ConsoleSessions.COOKIE, value)
                .httpOnly(true)
                .secure(settings.secureCookie())
                .sameSite(SameSite.Strict)
                .path("/")
                .maxAge(maxAge);
    }

    private static MutableHttpResponse<?> notSignedIn() {
        return ProblemResponses.of(401, "unauthorized", "Unauthorized", "not signed in to the console");
    }
}
