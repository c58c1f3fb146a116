package com.integrationshub.query.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.testkit.browser.HeadlessChromium;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The browser tests' own fixture: the machine's headless Chromium loads a page over loopback, keeps a Secure
 * HttpOnly cookie set on http://127.0.0.1 (as the console's), takes a PNG screenshot, and the accessibility check finds
 * a missing label — so a clean result from it means something.
 */
class HeadlessChromiumTest {

    private static HttpServer server;
    private static HeadlessChromium browser;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page("/labelled", "<label for=\"q\">Search</label><input id=\"q\" name=\"q\">");
        page("/unlabelled", "<input id=\"q\" name=\"q\"><button></button>");
        server.createContext("/cookie", exchange -> {
            exchange.getResponseHeaders().add("Set-Cookie", "probe=1; Path=/; HttpOnly; Secure; SameSite=Strict");
            exchange.getResponseHeaders().add("Location", "/echo");
            exchange.sendResponseHeaders(303, -1);
            exchange.close();
        });
        server.createContext("/echo", exchange -> {
            String cookie = String.valueOf(exchange.getRequestHeaders().getFirst("Cookie"));
            byte[] body = ("<!doctype html><html lang=\"en\"><head><title>echo</title></head><body><main><p id=\"c\">"
                            + cookie.replace("<", "") + "</p></main></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.stop(0);
    }

    @Test
    void shouldPassALabelledPageAndFailAnUnlabelledOne() {
        browser.driver().get(base + "/labelled");
        assertEquals(
                "Search", browser.driver().findElement(By.cssSelector("label")).getText());
        browser.assertAccessible();

        browser.driver().get(base + "/unlabelled");
        List<String> violations = browser.accessibilityViolations();
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("label ")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("button-name ")), violations.toString());
        assertThrows(AssertionError.class, browser::assertAccessible);
    }

    @Test
    void shouldKeepASecureCookieSetOnLoopbackHttp() {
        browser.driver().get(base + "/cookie");
        assertEquals("probe=1", browser.driver().findElement(By.id("c")).getText());
    }

    @Test
    void shouldTakeAPngScreenshot(@TempDir Path dir) throws IOException {
        browser.driver().get(base + "/labelled");
        Path png = dir.resolve("shots/labelled.png");
        browser.screenshot(png);
        byte[] magic = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
    }

    private static void page(String path, String body) {
        server.createContext(path, exchange -> {
            byte[] html = ("<!doctype html><html lang=\"en\"><head><title>" + path + "</title></head><body><main>"
                            + body + "</main></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
    }
}
