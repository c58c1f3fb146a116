package com.integrationshub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;

/**
 * A client for the Confluent Schema Registry REST API (Confluent, Redpanda, Karapace, Apicurio's ccompat API, or
 * {@link LocalSchemaRegistry}): registers Avro schemas under subjects and looks schemas up by id.
 *
 * <p>Answers are cached both ways: a (subject, schema) pair registered once is not sent again, and a schema fetched
 * or registered once is known by its id from then on. Schema ids never change meaning in a registry, so the caches
 * never expire. Thread-safe.
 */
public final class SchemaRegistryClient {

    /** Config key naming the registry's base URL, e.g. {@code http://127.0.0.1:8081}. */
    public static final String REGISTRY_URL_CONFIG = "registry.url";
    /** Config key for the connect timeout in milliseconds (default {@link #DEFAULT_CONNECT_TIMEOUT}). */
    public static final String CONNECT_TIMEOUT_MS_CONFIG = "registry.connect.timeout.ms";
    /**
     * Config key for HTTP basic auth credentials as {@code user:password} (a Confluent Cloud API key and secret);
     * optional.
     */
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "registry.basic.auth.user.info";
    /** Config key for the timeout of one request in milliseconds (default {@link #DEFAULT_REQUEST_TIMEOUT}). */
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "registry.request.timeout.ms";
    /** How long connecting to the registry may take unless configured otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long one request may take unless configured otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Duration requestTimeout;
    private final String authorization;
    private final HttpClient http;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    /**
     * HTTP basic auth credentials for the registry: a user and password, or an API key and secret.
     *
     * @param username the user or API key
     * @param password its password or API secret; never shown by {@link #toString()}
     */
    public record BasicAuth(String username, String password) {

        public BasicAuth {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        /** Returns the value of the {@code Authorization} header. */
        String header() {
            return "Basic "
                    + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "BasicAuth[username=" + username + ", password=(hidden)]";
        }
    }

    /** Creates a client for the registry at {@code baseUrl} with the default timeouts. */
    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /** Creates a client for the registry at {@code baseUrl} with the given connect and per-request timeouts. */
    public SchemaRegistryClient(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
        this(baseUrl, connectTimeout, requestTimeout, null, null);
    }

    /**
     * Creates a client for the registry at {@code baseUrl} with the given timeouts, sending {@code basicAuth} with
     * every request (null: none) and trusting what {@code sslContext} trusts on https (null: the JVM's default).
     */
    public SchemaRegistryClient(
            String baseUrl,
            Duration connectTimeout,
            Duration requestTimeout,
            BasicAuth basicAuth,
            SSLContext sslContext) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        final String trimmed = baseUrl.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("schema registry URL is empty");
        }
        final URI uri = URI.create(trimmed);
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("schema registry URL must be http(s)://host:port, got: " + baseUrl);
        }
        this.baseUrl = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.authorization = basicAuth == null ? null : basicAuth.header();
        final HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"));
        if (sslContext != null) builder.sslContext(sslContext);
        this.http = builder.build();
    }

    /**
     * Returns a client configured the Kafka way: {@value #REGISTRY_URL_CONFIG} (required),
     * {@value #CONNECT_TIMEOUT_MS_CONFIG}, {@value #REQUEST_TIMEOUT_MS_CONFIG} and
     * {@value #BASIC_AUTH_USER_INFO_CONFIG} (optional).
     */
    public static SchemaRegistryClient fromConfig(Map<String, ?> configs) {
        final Object url = configs.get(REGISTRY_URL_CONFIG);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException("Missing required configuration \"" + REGISTRY_URL_CONFIG
                    + "\" (the schema registry's base URL, e.g. http://127.0.0.1:8081)");
        }
        return new SchemaRegistryClient(
                url.toString(),
                millis(configs, CONNECT_TIMEOUT_MS_CONFIG, DEFAULT_CONNECT_TIMEOUT),
                millis(configs, REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT),
                userInfo(configs.get(BASIC_AUTH_USER_INFO_CONFIG)),
                null);
    }

    /**
     * Returns the HTTP status of {@code GET /subjects} within {@code timeout}, the registry's cheapest call that needs
     * the credentials: 200 when it answers and takes them.
     *
     * @throws SchemaRegistryException if the registry cannot be reached
     */
    public int probe(Duration timeout) {
        try {
            return http.send(
                            request("/subjects").timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + baseUrl + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while calling the schema registry at " + baseUrl, e);
        }
    }

    /** Returns the registry's base URL, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it registered already) and returns its global id.
     *
     * @throws SchemaRegistryException if the registry refuses it (409 when incompatible with the subject's earlier
     *                                 versions, 422 when invalid) or cannot be reached
     */
    public int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        final SubjectSchema key = new SubjectSchema(subject, schema);
        final Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        final String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a registration request as JSON", e);
        }
        final String path = "/subjects/" + encode(subject) + "/versions";
        final HttpRequest request = request(path)
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        final String action = "registering schema " + schema.getFullName() + " under subject '" + subject + "'";
        final JsonNode answer = send(request, action, (status, errorCode, message) -> {
            if (status == 409) {
                return new SchemaRegistryException(
                        "Schema " + schema.getFullName()
                                + " is incompatible with the earlier versions of subject '" + subject + "' at "
                                + baseUrl
                                + " (HTTP 409, error_code " + errorCode + "): " + message,
                        status,
                        errorCode);
            }
            return null;
        });
        final JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException(
                    "Unexpected answer when " + action + " at " + baseUrl + ": no integer \"id\" in " + answer,
                    200,
                    SchemaRegistryException.NONE);
        }
        final int schemaId = id.intValue();
        idsBySubjectSchema.put(key, schemaId);
        schemasById.putIfAbsent(schemaId, schema);
        return schemaId;
    }

    /**
     * Returns the schema with the given global id.
     *
     * @throws SchemaRegistryException if the registry does not know the id (404, error_code 40403), answers with a
     *                                 schema that is not Avro, or cannot be reached
     */
    public Schema schemaById(int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final String action = "looking up schema id " + id;
        final JsonNode answer =
                send(request("/schemas/ids/" + id).GET().build(), action, (status, errorCode, message) -> {
                    if (status == 404) {
                        return new SchemaRegistryException(
                                "Schema id " + id + " not found at " + baseUrl + " (HTTP 404, error_code " + errorCode
                                        + "): " + message,
                                status,
                                errorCode);
                    }
                    return null;
                });
        final JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException(
                    "Schema id " + id + " at " + baseUrl + " is of type " + type.asText() + ", not AVRO",
                    200,
                    SchemaRegistryException.NONE);
        }
        final JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(
                    "Unexpected answer when " + action + " at " + baseUrl + ": no \"schema\" string in " + answer,
                    200,
                    SchemaRegistryException.NONE);
        }
        final Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    "Schema id " + id + " at " + baseUrl + " is not a valid Avro schema: " + e.getMessage(),
                    200,
                    SchemaRegistryException.NONE,
                    e);
        }
        final Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @FunctionalInterface
    private interface ErrorTranslation {
        /** Returns a specific exception for this error answer, or null for the generic one. */
        SchemaRegistryException translate(int status, int errorCode, String message);
    }

    private HttpRequest.Builder request(String path) {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (authorization != null) builder.header("Authorization", authorization);
        return builder;
    }

    private JsonNode send(HttpRequest request, String action, ErrorTranslation translation) {
        final HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "Schema registry at " + baseUrl + " did not answer when " + action + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while " + action + " at " + baseUrl, e);
        }
        final int status = response.statusCode();
        final JsonNode body = parse(response.body());
        if (status / 100 == 2 && body != null && body.isObject()) {
            return body;
        }
        if (status / 100 == 2) {
            throw new SchemaRegistryException(
                    "Unexpected answer when " + action + " at " + baseUrl + ": HTTP " + status + " "
                            + abbreviate(response.body()),
                    status,
                    SchemaRegistryException.NONE);
        }
        final int errorCode = body != null && body.path("error_code").canConvertToInt()
                ? body.get("error_code").intValue()
                : SchemaRegistryException.NONE;
        final String message = body != null && body.path("message").isTextual()
                ? body.get("message").asText()
                : abbreviate(response.body());
        if (status == 401 || status == 403) {
            throw new SchemaRegistryException(
                    "Schema registry at " + baseUrl + " refused " + (authorization == null ? "a call without" : "the")
                            + " credentials when " + action + " (HTTP " + status
                            + "): check the hub's hub.registry.username"
                            + " (HUB_REGISTRY_USERNAME) and hub.registry.password (HUB_REGISTRY_PASSWORD), or a serde's "
                            + BASIC_AUTH_USER_INFO_CONFIG + ". " + message,
                    status,
                    errorCode);
        }
        final SchemaRegistryException specific = translation.translate(status, errorCode, message);
        if (specific != null) {
            throw specific;
        }
        throw new SchemaRegistryException(
                "Schema registry at " + baseUrl + " refused " + action + " (HTTP " + status + ", error_code "
                        + errorCode + "): " + message,
                status,
                errorCode);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        final String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static BasicAuth userInfo(Object value) {
        if (value == null || value.toString().isEmpty()) {
            return null;
        }
        final String info = value.toString();
        final int colon = info.indexOf(':');
        if (colon < 0) {
            // The value holds a secret: the message must not show it.
            throw new ConfigException(
                    "Configuration \"" + BASIC_AUTH_USER_INFO_CONFIG + "\" must be user:password (no ':' found)");
        }
        return new BasicAuth(info.substring(0, colon), info.substring(colon + 1));
    }

    private static Duration millis(Map<String, ?> configs, String key, Duration fallback) {
        final Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            final long ms = value instanceof Number n
                    ? n.longValue()
                    : Long.parseLong(value.toString().trim());
            if (ms <= 0) {
                throw new ConfigException(key, value, "must be a positive number of milliseconds");
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a number of milliseconds");
        }
    }
}
