package com.integrationshub.runtime.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * How every Kafka client of the service (producers, consumers, Kafka Streams, admin) authenticates and encrypts
 * (hub.kafka.security.* in application.yml). The defaults are a plain connection, as the local broker wants; a
 * managed cluster (Confluent Cloud, MSK, Aiven, Redpanda Cloud) needs {@code SASL_SSL} and credentials.
 * {@link #clientConfigs()} turns the settings into client properties, checking them first: a SASL protocol without a
 * username fails at start naming the setting. The toString of the settings never shows a password or a key.
 *
 * @param protocol {@code PLAINTEXT} (default), {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 *                 (HUB_KAFKA_SECURITY_PROTOCOL)
 * @param sasl     the SASL mechanism and credentials, used with the SASL protocols
 * @param ssl      trust and key material, used with the SSL protocols; empty: the JVM's trusted CAs
 */
@ConfigurationProperties(KafkaSecurity.PREFIX)
public record KafkaSecurity(
        @Bindable(defaultValue = "PLAINTEXT") String protocol, Sasl sasl, Ssl ssl) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.kafka.security";

    static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /**
     * SASL settings (hub.kafka.security.sasl.*).
     *
     * @param mechanism {@code PLAIN} (default), {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     *                  (HUB_KAFKA_SASL_MECHANISM)
     * @param username  the user, or API key on Confluent Cloud (HUB_KAFKA_SASL_USERNAME)
     * @param password  its password or API secret (HUB_KAFKA_SASL_PASSWORD); never logged
     */
    @ConfigurationProperties("sasl")
    public record Sasl(
            @Bindable(defaultValue = "PLAIN") String mechanism,
            @Bindable(defaultValue = "") String username,
            @Bindable(defaultValue = "") String password) {

        @Override
        public String toString() {
            return "Sasl[mechanism=" + mechanism + ", username=" + username + ", password=" + hidden(password) + "]";
        }
    }

    /**
     * TLS settings (hub.kafka.security.ssl.*): a trust store and, for mutual TLS, a key store, as files (JKS,
     * PKCS12 or PEM) or as PEM text. Every one defaults to empty: not set.
     *
     * @param truststoreLocation             path of the trust store (HUB_KAFKA_SSL_TRUSTSTORE_LOCATION)
     * @param truststorePassword             its password (HUB_KAFKA_SSL_TRUSTSTORE_PASSWORD); none for PEM
     * @param truststoreType                 JKS, PKCS12 or PEM (HUB_KAFKA_SSL_TRUSTSTORE_TYPE); empty: the client's
     *                                       default, JKS, or PEM when {@code truststoreCertificates} is set
     * @param truststoreCertificates         CA certificates as PEM text (HUB_KAFKA_SSL_TRUSTSTORE_CERTIFICATES)
     * @param keystoreLocation               path of the key store for client certificates
     *                                       (HUB_KAFKA_SSL_KEYSTORE_LOCATION)
     * @param keystorePassword               its password (HUB_KAFKA_SSL_KEYSTORE_PASSWORD)
     * @param keystoreType                   JKS, PKCS12 or PEM (HUB_KAFKA_SSL_KEYSTORE_TYPE); empty: JKS, or PEM when
     *                                       {@code keystoreKey} is set
     * @param keyPassword                    password of the private key (HUB_KAFKA_SSL_KEY_PASSWORD)
     * @param keystoreCertificateChain       client certificate chain as PEM text
     *                                       (HUB_KAFKA_SSL_KEYSTORE_CERTIFICATE_CHAIN)
     * @param keystoreKey                    client private key as PEM text (HUB_KAFKA_SSL_KEYSTORE_KEY); never
     *                                       logged
     * @param endpointIdentificationAlgorithm {@code https} (default: the broker's certificate must name its host);
     *                                       empty turns the host check off (HUB_KAFKA_SSL_ENDPOINT_IDENTIFICATION)
     */
    @ConfigurationProperties("ssl")
    public record Ssl(
            @Bindable(defaultValue = "") String truststoreLocation,
            @Bindable(defaultValue = "") String truststorePassword,
            @Bindable(defaultValue = "") String truststoreType,
            @Bindable(defaultValue = "") String truststoreCertificates,
            @Bindable(defaultValue = "") String keystoreLocation,
            @Bindable(defaultValue = "") String keystorePassword,
            @Bindable(defaultValue = "") String keystoreType,
            @Bindable(defaultValue = "") String keyPassword,
            @Bindable(defaultValue = "") String keystoreCertificateChain,
            @Bindable(defaultValue = "") String keystoreKey,
            @Bindable(defaultValue = "https") String endpointIdentificationAlgorithm) {

        @Override
        public String toString() {
            return "Ssl[truststoreLocation=" + truststoreLocation + ", truststoreType=" + truststoreType
                    + ", truststorePassword=" + hidden(truststorePassword) + ", truststoreCertificates="
                    + (blank(truststoreCertificates) ? "" : "(PEM)") + ", keystoreLocation=" + keystoreLocation
                    + ", keystoreType=" + keystoreType + ", keystorePassword=" + hidden(keystorePassword)
                    + ", keyPassword=" + hidden(keyPassword) + ", keystoreCertificateChain="
                    + (blank(keystoreCertificateChain) ? "" : "(PEM)") + ", keystoreKey=" + hidden(keystoreKey)
                    + ", endpointIdentificationAlgorithm=" + endpointIdentificationAlgorithm + "]";
        }
    }

    /** The protocol in upper case, e.g. {@code SASL_SSL}. */
    public String normalizedProtocol() {
        return protocol == null || protocol.isBlank()
                ? "PLAINTEXT"
                : protocol.trim().toUpperCase(Locale.ROOT);
    }

    /** Whether clients authenticate with SASL. */
    public boolean usesSasl() {
        return normalizedProtocol().startsWith("SASL_");
    }

    /** Whether the connection is encrypted with TLS. */
    public boolean usesTls() {
        return normalizedProtocol().equals("SSL") || normalizedProtocol().equals("SASL_SSL");
    }

    /**
     * The client properties of these settings (security.protocol, sasl.*, ssl.*), to add to every client's own;
     * empty values are left out, so the client's defaults apply.
     *
     * @throws ConfigException naming the setting (and its environment variable) when the settings cannot work
     */
    public Map<String, Object> clientConfigs() {
        final String chosen = normalizedProtocol();
        if (!PROTOCOLS.contains(chosen)) {
            throw new ConfigException(PREFIX + ".protocol (HUB_KAFKA_SECURITY_PROTOCOL) is '" + protocol
                    + "'; it must be one of " + String.join(", ", PROTOCOLS));
        }
        final Map<String, Object> configs = new LinkedHashMap<>();
        configs.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, chosen);
        if (usesSasl()) putSasl(configs);
        if (usesTls()) putSsl(configs);
        return configs;
    }

    private void putSasl(Map<String, Object> configs) {
        final String mechanism =
                sasl.mechanism() == null ? "PLAIN" : sasl.mechanism().trim().toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new ConfigException(PREFIX + ".sasl.mechanism (HUB_KAFKA_SASL_MECHANISM) is '" + sasl.mechanism()
                    + "'; it must be one of " + String.join(", ", MECHANISMS));
        }
        if (blank(sasl.username())) {
            throw new ConfigException(PREFIX + ".sasl.username (HUB_KAFKA_SASL_USERNAME) is empty; protocol "
                    + normalizedProtocol() + " needs a username and a password");
        }
        if (blank(sasl.password())) {
            throw new ConfigException(PREFIX + ".sasl.password (HUB_KAFKA_SASL_PASSWORD) is empty; protocol "
                    + normalizedProtocol() + " needs a username and a password");
        }
        final String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        configs.put(SaslConfigs.SASL_MECHANISM, mechanism);
        configs.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                module + " required username=" + quoted(sasl.username()) + " password=" + quoted(sasl.password())
                        + ";");
    }

    private void putSsl(Map<String, Object> configs) {
        putIfSet(configs, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ssl.truststoreLocation());
        putIfSet(configs, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ssl.truststorePassword());
        putIfSet(configs, SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, ssl.truststoreCertificates());
        putIfSet(
                configs,
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
                blank(ssl.truststoreType()) && !blank(ssl.truststoreCertificates()) ? "PEM" : ssl.truststoreType());
        putIfSet(configs, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, ssl.keystoreLocation());
        putIfSet(configs, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, ssl.keystorePassword());
        putIfSet(configs, SslConfigs.SSL_KEY_PASSWORD_CONFIG, ssl.keyPassword());
        putIfSet(configs, SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, ssl.keystoreCertificateChain());
        putIfSet(configs, SslConfigs.SSL_KEYSTORE_KEY_CONFIG, ssl.keystoreKey());
        putIfSet(
                configs,
                SslConfigs.SSL_KEYSTORE_TYPE_CONFIG,
                blank(ssl.keystoreType()) && !blank(ssl.keystoreKey()) ? "PEM" : ssl.keystoreType());
        // Empty is meaningful here: it turns the host name check off, so it is always passed on.
        configs.put(
                SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG,
                ssl.endpointIdentificationAlgorithm() == null
                        ? "https"
                        : ssl.endpointIdentificationAlgorithm().trim());
    }

    /**
     * What to tell the operator when the cluster at {@code bootstrapServers} refused this client: which settings to
     * check, never their secret values. Null when {@code failure} is not a refusal of credentials or TLS.
     */
    public String explainRefusal(String bootstrapServers, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedSaslMechanismException) {
                return "Kafka at " + bootstrapServers + " does not accept SASL mechanism " + sasl.mechanism()
                        + ": check " + PREFIX + ".sasl.mechanism (HUB_KAFKA_SASL_MECHANISM). The broker said: "
                        + t.getMessage();
            }
            if (t instanceof SslAuthenticationException) {
                return "TLS with Kafka at " + bootstrapServers + " failed: check " + PREFIX
                        + ".ssl.truststore-* (HUB_KAFKA_SSL_TRUSTSTORE_*), " + PREFIX
                        + ".ssl.keystore-* (HUB_KAFKA_SSL_KEYSTORE_*) and " + PREFIX
                        + ".protocol (HUB_KAFKA_SECURITY_PROTOCOL). Cause: " + t.getMessage();
            }
            if (t instanceof AuthenticationException) {
                return "Kafka at " + bootstrapServers + " refused the credentials of user '" + sasl.username()
                        + "' (SASL " + sasl.mechanism() + "): check " + PREFIX + ".sasl.username"
                        + " (HUB_KAFKA_SASL_USERNAME), " + PREFIX + ".sasl.password (HUB_KAFKA_SASL_PASSWORD) and "
                        + PREFIX + ".sasl.mechanism (HUB_KAFKA_SASL_MECHANISM). The broker said: " + t.getMessage();
            }
        }
        return null;
    }

    // JAAS options are quoted strings in which backslash escapes the next character.
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void putIfSet(Map<String, Object> configs, String key, String value) {
        if (!blank(value)) configs.put(key, value);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String hidden(String secret) {
        return blank(secret) ? "" : "(hidden)";
    }
}
