package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.query.sdk.SdkBuilds;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.upstream.TicketsStandIn;
import com.integrationshub.testkit.upstream.UpstreamStandIn;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "SDKs" of API.md through HTTP against a real broker: a provider's API (TicketsStandIn, which demands its real
 * API key) described by its own document; the org's SDKs are fetched from the hub, built with the language's own
 * tools and called with nothing but a hub token. The tools must be on the machine (CI has them): a missing node,
 * npm or python3 fails these tests, it never skips them.
 */
class SdkContractTest {

    private static final String ORG = "org-sdk";
    private static final String API_KEY = "tickets-real-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The module's directory (surefire's working directory) and the project's root with its Maven wrapper. */
    private static final Path MODULE = Path.of("").toAbsolutePath();

    private static final Path ROOT = MODULE.getParent().getParent();

    private static TicketsStandIn tickets;
    private static HubInstance hub;
    private static Http admin;
    private static String orgToken;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        tickets = TicketsStandIn.start(API_KEY);
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        orgToken = TestTokens.org(ORG);
        Await.ready(admin);
        createTickets("Tickets");
        putSpec("Tickets", TicketsStandIn.spec());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (tickets != null) tickets.close();
    }

    @BeforeEach
    void clear() {
        tickets.clear();
    }

    @Test
    void shouldGenerateAJavaSdkThatCallsTheProviderWithOnlyAHubToken() throws Exception {
        HttpResponse<byte[]> zip = sdk(orgToken, "Tickets", "java");
        assertEquals(200, zip.statusCode(), () -> new String(zip.body(), StandardCharsets.UTF_8));
        assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
        Path project = unzip(zip.body(), work.resolve("java"));
        assertTrue(Files.exists(project.resolve("pom.xml")), "a Maven project: pom.xml at the zip's root");

        // Built by Maven as a user would; offline first (the shared ~/.m2), online for what it lacks.
        Path classpath = project.resolve("classpath.txt");
        List<String> build = List.of(
                ROOT.resolve("mvnw").toString(),
                "-B",
                "-q",
                "-f",
                project.resolve("pom.xml").toString(),
                "package",
                "dependency:build-classpath",
                "-Dmaven.test.skip=true",
                "-Dmaven.javadoc.skip=true",
                "-Dmdep.includeScope=runtime",
                "-Dmdep.outputFile=" + classpath);
        List<String> offline = new ArrayList<>(build);
        offline.add(1, "-o");
        if (run(offline, project, 600).exit() != 0) {
            Result online = run(build, project, 900);
            assertEquals(0, online.exit(), () -> "the Java SDK builds with Maven:\n" + online.output());
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> built = Files.list(project.resolve("target"))) {
            built.filter(p -> p.toString().endsWith(".jar") && !p.toString().endsWith("-sources.jar"))
                    .forEach(jars::add);
        }
        assertEquals(1, jars.size(), "the SDK's jar: " + jars);
        for (String entry : Files.readString(classpath).trim().split(File.pathSeparator)) {
            if (!entry.isBlank()) jars.add(Path.of(entry));
        }

        // A caller's code: the base URL is the generated default (the org's proxy), the only credential a hub token.
        Path callerDir = Files.createDirectories(work.resolve("caller"));
        Path source = callerDir.resolve("Caller.java");
        Files.writeString(source, """
                import com.integrationshub.sdk.tickets.ApiClient;
                import com.integrationshub.sdk.tickets.api.TicketsApi;
                import com.integrationshub.sdk.tickets.model.NewTicket;
                import com.integrationshub.sdk.tickets.model.Ticket;
                import java.util.List;

                public class Caller {
                    public static String run(String hubToken) throws Exception {
                        ApiClient client = new ApiClient();
                        client.setBearerToken(hubToken);
                        TicketsApi api = new TicketsApi(client);
                        List<Ticket> open = api.listTickets("open");
                        Ticket one = api.getTicket(2L);
                        Ticket made = api.createTicket(new NewTicket().title("Made by the SDK").status("open"));
                        return client.getBasePath() + "|" + open.size() + ":" + open.get(0).getTitle() + "|"
                                + one.getTitle() + "|" + made.getId() + ":" + made.getTitle();
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = String.join(
                File.pathSeparator, jars.stream().map(Path::toString).toList());
        assertEquals(0, javac.run(null, null, null, "-cp", cp, "-d", callerDir.toString(), source.toString()));
        List<URL> urls = new ArrayList<>();
        urls.add(callerDir.toUri().toURL());
        for (Path jar : jars) urls.add(jar.toUri().toURL());
        String answer;
        try (URLClassLoader loader =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Method run = loader.loadClass("Caller").getMethod("run", String.class);
            answer = (String) run.invoke(null, orgToken);
        }

        String proxy = hub.url() + "/v1/orgs/" + ORG + "/integrations/Tickets/proxy";
        assertEquals(proxy + "|1:Printer on fire|Coffee machine empty|3:Made by the SDK", answer);
        List<UpstreamStandIn.Received> seen = tickets.received();
        assertEquals(
                List.of("GET /api/tickets?status=open", "GET /api/tickets/2", "POST /api/tickets"),
                seen.stream()
                        .map(r -> r.method() + " " + r.rawPath() + (r.rawQuery() == null ? "" : "?" + r.rawQuery()))
                        .toList());
        for (UpstreamStandIn.Received r : seen) {
            assertEquals(API_KEY, r.header("x-api-key"), "the provider got its real credential");
            assertNull(r.header("authorization"), "the hub token stays with the hub");
            assertFalse(r.headers().toString().contains(orgToken), "the hub token stays with the hub");
        }
        assertEquals(
                "Made by the SDK",
                JSON.readTree(seen.get(2).body()).get("title").asText(),
                "the JSON body");
    }

    @Test
    void shouldGenerateATypescriptSdkThatCompilesWithTscAndCallsTheHubUnderNode() throws Exception {
        Path tsc = MODULE.resolve("target/sdk-tools/node_modules/typescript/bin/tsc");
        assertTrue(
                Files.exists(tsc),
                "typescript is installed by this module's build (npm ci into target/sdk-tools): run through Maven");
        HttpResponse<byte[]> zip = sdk(orgToken, "Tickets", "typescript");
        assertEquals(200, zip.statusCode(), () -> new String(zip.body(), StandardCharsets.UTF_8));
        Path project = unzip(zip.body(), work.resolve("typescript"));

        Result compiled = run(List.of("node", tsc.toString(), "-p", project.toString()), project, 300);
        assertEquals(0, compiled.exit(), () -> "tsc compiles the SDK:\n" + compiled.output());
        Path script = project.resolve("call.js");
        Files.writeString(script, """
                const sdk = require('./dist/index.js');
                const api = new sdk.TicketsApi(new sdk.Configuration({ accessToken: process.argv[2] }));
                api.listTickets({ status: 'closed' })
                    .then(list => console.log('ANSWER ' + JSON.stringify(list)))
                    .catch(e => { console.error(e); process.exit(1); });
                """);
        Result called = run(List.of("node", script.toString(), orgToken), project, 120);

        assertEquals(0, called.exit(), () -> "the call under node:\n" + called.output());
        String line = called.output()
                .lines()
                .filter(l -> l.startsWith("ANSWER "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(called.output()));
        JsonNode list = JSON.readTree(line.substring("ANSWER ".length()));
        assertEquals(1, list.size(), line);
        assertEquals("Coffee machine empty", list.get(0).get("title").asText());
        UpstreamStandIn.Received r = tickets.received().get(0);
        assertEquals("/api/tickets", r.rawPath());
        assertEquals("status=closed", r.rawQuery());
        assertEquals(API_KEY, r.header("x-api-key"));
        assertNull(r.header("authorization"), "the hub token stays with the hub");
    }

    @Test
    void shouldGenerateAPythonSdkWhoseFilesCompile() throws Exception {
        HttpResponse<byte[]> zip = sdk(orgToken, "Tickets", "python");
        assertEquals(200, zip.statusCode(), () -> new String(zip.body(), StandardCharsets.UTF_8));
        Path project = unzip(zip.body(), work.resolve("python"));
        List<String> command = new ArrayList<>(List.of("python3", "-m", "py_compile"));
        try (Stream<Path> files = Files.walk(project)) {
            files.filter(p -> p.toString().endsWith(".py")).forEach(p -> command.add(p.toString()));
        }
        assertTrue(command.size() > 10, "the package's modules: " + command);
        assertTrue(command.stream().anyMatch(c -> c.endsWith("tickets_client/api/tickets_api.py")), command.toString());
        String configuration =
                Files.readString(project.resolve("tickets_client/configuration.py"), StandardCharsets.UTF_8);
        assertTrue(
                configuration.contains(hub.url() + "/v1/orgs/" + ORG + "/integrations/Tickets/proxy"),
                "the proxy is the default host");

        Result compiled = run(command, project, 120);

        assertEquals(0, compiled.exit(), () -> "py_compile:\n" + compiled.output());
    }

    @Test
    void shouldAnswerTheSameZipAgainFromTheCache() {
        HttpResponse<byte[]> first = sdk(orgToken, "Tickets", "python");
        int cached = hub.context().getBean(SdkBuilds.class).cached();
        HttpResponse<byte[]> second = sdk(TestTokens.admin(), "Tickets", "python");

        assertEquals(200, first.statusCode());
        assertEquals(200, second.statusCode());
        assertArrayEquals(first.body(), second.body(), "the same zip");
        assertEquals(cached, hub.context().getBean(SdkBuilds.class).cached(), "nothing generated again");
    }

    @Test
    void shouldAnswerProblemsForAnUnknownLanguageNoDocumentAnotherOrgAndAForeignReference() {
        assertProblem(reply(sdk(orgToken, "Tickets", "cobol")), 404, "not-found");
        createTickets("NoSpec");
        assertProblem(reply(sdk(orgToken, "NoSpec", "java")), 404, "not-found");
        assertProblem(reply(sdk(orgToken, "Missing", "java")), 404, "not-found");
        assertEquals(403, sdk(TestTokens.org("org-other"), "Tickets", "java").statusCode(), "another org's token");
        assertEquals(401, sdk(null, "Tickets", "java").statusCode(), "no token");

        // A document referring outside itself: the hub neither fetches the reference nor generates from it.
        createTickets("Foreign");
        String foreign = TicketsStandIn.spec()
                .replace("$ref: \"#/components/schemas/NewTicket\"", "$ref: \"" + tickets.url() + "/schema.json\"");
        putSpec("Foreign", foreign);
        var refused = reply(sdk(orgToken, "Foreign", "typescript"));
        assertProblem(refused, 422, "validation-failed");
        assertEquals("openapi", refused.json().at("/errors/0/field").asText(), refused.toString());
        assertTrue(tickets.received().isEmpty(), "the reference was never fetched: " + tickets.received());
    }

    private static void createTickets(String name) {
        var created = admin.post("/v1/integrations", """
                {"name": "%s", "auth_scheme": "API_KEY",
                 "config_schema": [{"key": "base_url", "type": "string"}],
                 "credential_headers": {"X-Api-Key": "{api_key}"}}""".formatted(name));
        assertEquals(201, created.status(), created.toString());
        var defaults = admin.put(
                "/v1/integrations/" + name + "/defaults", "{\"config\": {\"base_url\": \"" + tickets.url() + "\"}}");
        assertEquals(200, defaults.status(), defaults.toString());
        var connected = admin.as(orgToken)
                .post(
                        "/v1/orgs/" + ORG + "/integrations/" + name + "/connect",
                        "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"" + API_KEY + "\"}}");
        assertEquals(201, connected.status(), connected.toString());
    }

    private static void putSpec(String name, String yaml) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.url() + "/v1/integrations/" + name + "/openapi"))
                .header("Authorization", "Bearer " + TestTokens.admin())
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml))
                .build();
        try {
            HttpResponse<String> put = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<byte[]> sdk(String token, String integration, String language) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(hub.url() + "/v1/orgs/" + ORG + "/integrations/" + integration + "/sdk/" + language))
                .timeout(Duration.ofMinutes(2))
                .GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Http.Reply reply(HttpResponse<byte[]> r) {
        return new Http.Reply(
                r.statusCode(),
                r.headers().firstValue("Content-Type").orElse(""),
                r.headers().firstValue("ETag").orElse(null),
                new String(r.body(), StandardCharsets.UTF_8),
                r.headers().map());
    }

    private static Path unzip(byte[] zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                assertTrue(target.startsWith(into), "an entry inside the zip's root: " + e.getName());
                if (e.isDirectory()) continue;
                Files.createDirectories(target.getParent());
                Files.write(target, in.readAllBytes());
            }
        }
        return into;
    }

    private record Result(int exit, String output) {}

    /** Runs a tool of the machine; a missing tool fails the test (IOException), it is not skipped. */
    private static Result run(List<String> command, Path dir, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(work, "tool-", ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " took over " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
