package com.integrationshub.runtime.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of the registry client, from hub.registry.ssl.*: null when nothing is set (the JVM's default). */
final class RegistryTls {

    private RegistryTls() {}

    /**
     * Returns the context trusting the configured trust store and presenting the configured key store, or null
     * when neither is set.
     *
     * @throws IllegalStateException naming the setting when a store cannot be read
     */
    static SSLContext context(RegistrySettings.Ssl ssl) {
        if (ssl == null || (blank(ssl.truststoreLocation()) && blank(ssl.keystoreLocation()))) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (!blank(ssl.truststoreLocation())) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore(ssl));
            }
            KeyManagerFactory keys = null;
            if (!blank(ssl.keystoreLocation())) {
                char[] password = chars(ssl.keystorePassword());
                KeyStore store = load(
                        "hub.registry.ssl.keystore-location", ssl.keystoreLocation(), ssl.keystoreType(), password);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot set up TLS for the schema registry from hub.registry.ssl.*: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(RegistrySettings.Ssl ssl) throws GeneralSecurityException {
        String type = blank(ssl.truststoreType())
                ? "PKCS12"
                : ssl.truststoreType().trim().toUpperCase(Locale.ROOT);
        if (!type.equals("PEM")) {
            return load(
                    "hub.registry.ssl.truststore-location",
                    ssl.truststoreLocation(),
                    type,
                    chars(ssl.truststorePassword()));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an empty trust store", e);
        }
        try (InputStream in = Files.newInputStream(Path.of(ssl.truststoreLocation()))) {
            int n = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalStateException("hub.registry.ssl.truststore-location " + ssl.truststoreLocation()
                        + " holds no PEM certificate");
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read hub.registry.ssl.truststore-location " + ssl.truststoreLocation() + ": " + e, e);
        }
        return store;
    }

    private static KeyStore load(String setting, String location, String type, char[] password)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(blank(type) ? "PKCS12" : type.trim());
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + setting + " " + location + ": " + e.getMessage(), e);
        }
        return store;
    }

    private static char[] chars(String password) {
        return blank(password) ? null : password.toCharArray();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
