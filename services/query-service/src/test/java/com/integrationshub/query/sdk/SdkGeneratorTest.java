package com.integrationshub.query.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.spec.OrgSpecView;
import com.integrationshub.query.spec.ProviderSpecParser;
import com.integrationshub.testkit.upstream.TicketsStandIn;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SdkGenerator without a hub: what each language's zip holds, and the documents it refuses. */
class SdkGeneratorTest {

    private static final String PROXY = "https://hub.example/v1/orgs/org-1/integrations/Tickets/proxy";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void shouldMakeAMavenProjectAtTheZipsRootWithTheProxyAsBaseUrlAndABearerToken() {
        Map<String, String> files = unzip(generator().generate(view(), SdkLanguage.JAVA, "Tickets"));

        assertTrue(files.containsKey("pom.xml"), "pom.xml at the root: " + files.keySet());
        String api = files.get("src/main/java/com/integrationshub/sdk/tickets/api/TicketsApi.java");
        assertTrue(api != null, "the tickets API: " + files.keySet());
        assertTrue(api.contains("listTickets") && api.contains("createTicket"), "its operations");
        String client = files.get("src/main/java/com/integrationshub/sdk/tickets/ApiClient.java");
        assertTrue(client.contains(PROXY), "the proxy is the base URL");
        assertTrue(client.contains("setBearerToken"), "the hub token is set the generator's usual way");
        String all = String.join("\n", files.values());
        assertFalse(all.contains("tickets.example"), "the provider's server is gone");
        assertFalse(all.contains("X-Api-Key"), "the provider's credential is gone");
    }

    @Test
    void shouldMakeATypescriptFetchPackageAndAPythonPackage() {
        Map<String, String> ts = unzip(generator().generate(view(), SdkLanguage.TYPESCRIPT, "Tickets"));
        Map<String, String> py = unzip(generator().generate(view(), SdkLanguage.PYTHON, "Tickets"));

        assertTrue(ts.containsKey("package.json") && ts.containsKey("tsconfig.json"), "ts: " + ts.keySet());
        assertTrue(ts.get("src/runtime.ts").contains(PROXY), "the proxy is the base path");
        assertTrue(ts.containsKey("src/apis/TicketsApi.ts"), "ts: " + ts.keySet());
        assertTrue(py.containsKey("tickets_client/api/tickets_api.py"), "python: " + py.keySet());
        assertTrue(py.get("tickets_client/configuration.py").contains(PROXY), "the proxy is the host");
    }

    @Test
    void shouldRefuseADocumentThatRefersOutsideItselfAndLeaveNothingBehind() throws IOException {
        ObjectNode view = view();
        ((ObjectNode) view.at("/components/schemas/Ticket/properties/title"))
                .removeAll()
                .put("$ref", "https://attacker.example/schema.json");
        ObjectNode fileRef = view();
        ((ObjectNode) fileRef.at("/components/schemas/Ticket/properties/title"))
                .removeAll()
                .put("$ref", "../../../etc/passwd");

        assertThrows(UnusableSpecException.class, () -> generator().generate(view, SdkLanguage.JAVA, "Tickets"));
        assertThrows(UnusableSpecException.class, () -> generator().generate(fileRef, SdkLanguage.JAVA, "Tickets"));
        generator().generate(view(), SdkLanguage.PYTHON, "Tickets");
        try (var left = Files.list(work.resolve("hub-sdk"))) {
            assertEquals(0, left.count(), "every generation's directory is removed");
        }
    }

    @Test
    void shouldKeepEveryFileInsideItsDirectoryWhateverTheDocumentNamesThings() throws IOException {
        ObjectNode view = view();
        ObjectNode list = (ObjectNode) view.at("/paths/~1tickets/get");
        list.put("operationId", "../../../op");
        list.putArray("tags").add("../../../up").add("/abs/tag");
        ObjectNode schemas = (ObjectNode) view.at("/components/schemas");
        schemas.set("..", schemas.get("Ticket").deepCopy());
        ((ObjectNode) view.at("/paths/~1tickets~1{id}/get/responses/200/content/application~1json/schema"))
                .put("$ref", "#/components/schemas/..");

        for (SdkLanguage language : SdkLanguage.values()) {
            Map<String, String> files = unzip(generator().generate(view, language, "../Tickets"));
            for (String name : files.keySet()) {
                assertFalse(name.startsWith("/") || name.contains("../"), language + ": " + name);
            }
        }
        try (var left = Files.list(work)) {
            assertEquals(
                    List.of(work.resolve("hub-sdk")),
                    left.toList(),
                    "nothing written beside the generations' directory");
        }
        try (var left = Files.list(work.resolve("hub-sdk"))) {
            assertEquals(0, left.count(), "and nothing left in it");
        }
    }

    @Test
    void shouldRefuseAClientOverTheSizeLimit() {
        SdkGenerator small = new SdkGenerator(work.resolve("hub-sdk"), 10_000);

        assertThrows(UnusableSpecException.class, () -> small.generate(view(), SdkLanguage.JAVA, "Tickets"));
    }

    @Test
    void shouldNamePackagesAfterTheIntegration() {
        assertEquals("halo_psa", SdkGenerator.identifier("Halo-PSA"));
        assertEquals("x1st", SdkGenerator.identifier("1st"));
        assertEquals("int_", SdkGenerator.identifier("int"));
        assertEquals("a_b", SdkGenerator.identifier("..a.b.."));
    }

    private SdkGenerator generator() {
        return new SdkGenerator(work.resolve("hub-sdk"), 32 * 1024 * 1024);
    }

    private static ObjectNode view() {
        ProviderSpecParser parser = new ProviderSpecParser(1 << 20, 100, 10, 10, 200);
        JsonNode doc = parser.parse(TicketsStandIn.spec().getBytes(StandardCharsets.UTF_8), true)
                .document();
        return OrgSpecView.of(doc, PROXY);
    }

    private static Map<String, String> unzip(byte[] zip) {
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return files;
    }
}
