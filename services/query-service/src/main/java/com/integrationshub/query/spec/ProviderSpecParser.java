package com.integrationshub.query.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Parses and validates a provider's OpenAPI 3.0 or 3.1 document (JSON or YAML) with swagger-parser.
 *
 * <p>The text is read into a tree by our own Jackson readers first, with limits a hostile document cannot get past
 * (nesting depth, YAML aliases — the "billion laughs" —, code points, see YamlTree), and only that tree is handed to swagger-parser,
 * which never fetches remote references. What is kept is the tree as uploaded, not swagger-parser's model, so a
 * GET returns the same content.
 */
public final class ProviderSpecParser {

    private final int maxMessages;
    private final int maxMessageLength;
    private final ObjectMapper json;
    private final YamlTree yaml;

    /**
     * @param maxBytes the largest document, which is also YAML's code point limit
     * @param maxDepth the deepest nesting of objects and arrays
     * @param maxAliases the most YAML aliases one document may use
     * @param maxMessages the most parser messages a 422 lists
     * @param maxMessageLength the longest message kept (longer ones are cut)
     */
    public ProviderSpecParser(int maxBytes, int maxDepth, int maxAliases, int maxMessages, int maxMessageLength) {
        this.maxMessages = maxMessages;
        this.maxMessageLength = maxMessageLength;
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxStringLength(maxBytes)
                .maxDocumentLength(maxBytes)
                .build();
        JsonFactory jsonFactory =
                JsonFactory.builder().streamReadConstraints(constraints).build();
        this.json = new ObjectMapper(jsonFactory);
        // a document of maxBytes has fewer nodes than bytes; more means aliases multiplied it
        this.yaml = new YamlTree(maxBytes, maxDepth, maxAliases, maxBytes);
    }

    /** Parses {@code body} as YAML if {@code yamlBody}, else as JSON; throws InvalidSpecException if not valid. */
    public ProviderSpec parse(byte[] body, boolean yamlBody) {
        JsonNode tree = read(body, yamlBody);
        if (!tree.isObject()) throw invalid("the document is not an object", List.of());
        JsonNode version = tree.get("openapi");
        if (version == null || !version.isTextual() || !version.asText().matches("3\\.[01]\\.\\d+.*")) {
            throw invalid(
                    "the document is not OpenAPI 3.0 or 3.1",
                    List.of("attribute openapi must be a 3.0.x or 3.1.x version string"));
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result;
        try {
            result = new OpenAPIV3Parser().parseJsonNode(null, tree, options);
        } catch (RuntimeException e) {
            throw invalid(
                    "the document could not be parsed", List.of(e.getClass().getSimpleName()));
        }
        List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
        OpenAPI api = result.getOpenAPI();
        if (api == null || !messages.isEmpty()) throw invalid("the document is not a valid OpenAPI document", messages);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always serializes", e);
        }
        String title = api.getInfo() == null ? null : api.getInfo().getTitle();
        return new ProviderSpec(tree, bytes, title, operations(api), sha256(bytes));
    }

    /** The number of path + method pairs. */
    static int operations(OpenAPI api) {
        if (api.getPaths() == null) return 0;
        int n = 0;
        for (PathItem item : api.getPaths().values()) {
            if (item != null) n += item.readOperations().size();
        }
        return n;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private JsonNode read(byte[] body, boolean yamlBody) {
        if (body == null || body.length == 0) throw invalid("the body is empty", List.of());
        try {
            JsonNode tree = yamlBody ? yaml.read(body) : json.readTree(body);
            if (tree == null || tree.isMissingNode()) throw invalid("the body is empty", List.of());
            return tree;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidSpecException ise) throw ise;
            // The reader's own message may quote the input: only its first line, cut, is kept.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return throwUnreadable(yamlBody, message);
        }
    }

    private JsonNode throwUnreadable(boolean yamlBody, String message) {
        String firstLine = message.lines().findFirst().orElse("");
        throw invalid(yamlBody ? "the body is not readable YAML" : "the body is not readable JSON", List.of(firstLine));
    }

    private InvalidSpecException invalid(String summary, List<String> messages) {
        List<String> kept = new ArrayList<>();
        for (String m : messages) {
            if (kept.size() >= maxMessages) break;
            if (m == null) continue;
            kept.add(m.length() > maxMessageLength ? m.substring(0, maxMessageLength) + "…" : m);
        }
        if (messages.size() > maxMessages) kept.add("… and " + (messages.size() - maxMessages) + " more");
        return new InvalidSpecException(summary, kept);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
