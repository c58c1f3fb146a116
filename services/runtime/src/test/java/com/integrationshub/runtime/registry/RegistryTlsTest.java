package com.integrationshub.runtime.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.registry.SchemaRegistryException;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client trusts a private CA from hub.registry.ssl.* (PEM or PKCS12), and only then. */
class RegistryTlsTest {

    private static final String PASSWORD = "changeit";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void shouldTrustARegistryWhoseCertificateIsInThePemOrPkcs12TrustStore() throws Exception {
        Path serverStore = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        keytool("-genkeypair -alias registry -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 -ext SAN=ip:127.0.0.1"
                + " -validity 2 -storetype PKCS12 -keystore " + serverStore + " -storepass " + PASSWORD + " -keypass "
                + PASSWORD);
        keytool("-exportcert -rfc -alias registry -keystore " + serverStore + " -storepass " + PASSWORD + " -file "
                + pem);
        HttpsServer server = httpsServer(serverStore);
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort();

            SSLContext fromPem = RegistryTls.context(ssl(pem.toString(), "", "PEM"));
            assertEquals(200, client(url, fromPem).probe(TIMEOUT));
            SSLContext fromPkcs12 = RegistryTls.context(ssl(serverStore.toString(), PASSWORD, "PKCS12"));
            assertEquals(200, client(url, fromPkcs12).probe(TIMEOUT));

            var untrusted = assertThrows(
                    SchemaRegistryException.class, () -> client(url, null).probe(TIMEOUT));
            assertTrue(untrusted.getMessage().contains("did not answer"), untrusted.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldUseTheJvmDefaultsWhenNothingIsSetAndNameTheSettingOfAnUnreadableStore() {
        assertNull(RegistryTls.context(ssl("", "", "")));
        var missing = assertThrows(
                IllegalStateException.class,
                () -> RegistryTls.context(ssl(dir.resolve("absent.pem").toString(), "", "PEM")));
        assertTrue(missing.getMessage().contains("hub.registry.ssl.truststore-location"), missing.getMessage());
    }

    private static RegistrySettings.Ssl ssl(String truststore, String password, String type) {
        return new RegistrySettings.Ssl(truststore, password, type, "", "", "");
    }

    private static SchemaRegistryClient client(String url, SSLContext context) {
        return new SchemaRegistryClient(url, TIMEOUT, TIMEOUT, null, context);
    }

    private static HttpsServer httpsServer(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/subjects", exchange -> {
            byte[] body = "[]".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    // Arguments split on spaces: the temp dir's path has none.
    private static void keytool(String args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args.split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), "keytool " + args + ": " + output);
    }
}
