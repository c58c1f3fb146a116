package com.integrationshub.query.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.openapitools.codegen.ClientOptInput;
import org.openapitools.codegen.CodegenConfig;
import org.openapitools.codegen.CodegenConfigLoader;
import org.openapitools.codegen.CodegenConstants;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.TemplatingEngineLoader;

/**
 * Turns an org's view of a provider's document into a zipped client with openapi-generator.
 *
 * <p>The document is hostile input. Only references inside it ({@code #/...}) are allowed, so neither swagger-parser
 * nor the generator ever reads a URL or a file; the generator writes into a fresh directory under {@code workDir},
 * every file of which is checked to be a regular file inside it before it is zipped, and the directory is removed
 * afterwards. The generator's templates are its own (no template directory, no ignore file from outside).
 */
public final class SdkGenerator {

    private static final Set<String> REFERENCE_KEYS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    private static final Set<String> JAVA_KEYWORDS = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "var",
            "record",
            "yield");

    private final Path workDir;
    private final long maxZipBytes;

    /**
     * @param workDir where each generation gets a temporary directory of its own
     * @param maxZipBytes the largest zip kept; a document whose client is larger is refused
     */
    public SdkGenerator(Path workDir, long maxZipBytes) {
        this.workDir = workDir;
        this.maxZipBytes = maxZipBytes;
    }

    /** The zipped client of {@code document} for {@code language}, named after the integration. */
    public byte[] generate(JsonNode document, SdkLanguage language, String integration) {
        requireLocalReferences(document);
        OpenAPI api = parse(document);
        Path out;
        try {
            Files.createDirectories(workDir);
            out = Files.createTempDirectory(workDir, "sdk-").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory to generate in", e);
        }
        try {
            CodegenConfig config = config(language, integration, out);
            DefaultGenerator generator = new DefaultGenerator();
            generator.setGenerateMetadata(false);
            generator.setGeneratorPropertyDefault(CodegenConstants.API_TESTS, "false");
            generator.setGeneratorPropertyDefault(CodegenConstants.MODEL_TESTS, "false");
            generator.setGeneratorPropertyDefault(CodegenConstants.API_DOCS, "true");
            generator.setGeneratorPropertyDefault(CodegenConstants.MODEL_DOCS, "true");
            try {
                generator.opts(new ClientOptInput().openAPI(api).config(config)).generate();
            } catch (RuntimeException e) {
                // The generator's message may quote the document: only its kind is told.
                throw new UnusableSpecException("openapi-generator could not make a " + language.path()
                        + " client of the document (" + e.getClass().getSimpleName() + ")");
            }
            return zip(out);
        } finally {
            delete(out);
        }
    }

    /** A package or module name of the integration's: lower case letters, digits and underscores. */
    static String identifier(String integration) {
        String id = integration.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        id = id.replaceAll("^_+|_+$", "");
        if (id.isEmpty() || !Character.isLetter(id.charAt(0))) id = "x" + id;
        return JAVA_KEYWORDS.contains(id) ? id + "_" : id;
    }

    private static CodegenConfig config(SdkLanguage language, String integration, Path out) {
        CodegenConfig config = CodegenConfigLoader.forName(language.generator());
        if (language.library() != null) config.setLibrary(language.library());
        config.setOutputDir(out.toString());
        config.setTemplatingEngine(TemplatingEngineLoader.byIdentifier("mustache"));
        // Post-processing would run the command a *_POST_PROCESS_FILE environment variable names on every file.
        config.setEnablePostProcessFile(false);
        String id = identifier(integration);
        String artifact = id.replace('_', '-') + "-client";
        Map<String, Object> p = config.additionalProperties();
        p.put(CodegenConstants.HIDE_GENERATION_TIMESTAMP, true);
        switch (language) {
            case JAVA -> {
                p.put(CodegenConstants.GROUP_ID, "com.integrationshub.sdk");
                p.put(CodegenConstants.ARTIFACT_ID, artifact);
                p.put(CodegenConstants.ARTIFACT_VERSION, "1.0.0");
                p.put(CodegenConstants.INVOKER_PACKAGE, "com.integrationshub.sdk." + id);
                p.put(CodegenConstants.API_PACKAGE, "com.integrationshub.sdk." + id + ".api");
                p.put(CodegenConstants.MODEL_PACKAGE, "com.integrationshub.sdk." + id + ".model");
                p.put(CodegenConstants.SOURCE_FOLDER, "src/main/java");
                // Fewer dependencies for the caller: no nullable wrapper module, no Swagger annotations.
                p.put("openApiNullable", false);
                p.put("annotationLibrary", "none");
                p.put("useJakartaEe", true);
                p.put("dateLibrary", "java8");
            }
            case TYPESCRIPT -> {
                p.put("npmName", artifact);
                p.put("npmVersion", "1.0.0");
                p.put("supportsES6", true);
            }
            case PYTHON -> {
                p.put(CodegenConstants.PACKAGE_NAME, id + "_client");
                p.put(CodegenConstants.PROJECT_NAME, artifact);
                p.put(CodegenConstants.PACKAGE_VERSION, "1.0.0");
            }
        }
        return config;
    }

    private static OpenAPI parse(JsonNode document) {
        ParseOptions options = new ParseOptions();
        // References are all local (checked above): resolving them reads nothing outside the document.
        options.setResolve(true);
        SwaggerParseResult result;
        try {
            result = new OpenAPIV3Parser().parseJsonNode(null, document.deepCopy(), options);
        } catch (RuntimeException e) {
            throw new UnusableSpecException(
                    "the document could not be parsed (" + e.getClass().getSimpleName() + ")");
        }
        if (result.getOpenAPI() == null) throw new UnusableSpecException("the document could not be parsed");
        return result.getOpenAPI();
    }

    private static void requireLocalReferences(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if (REFERENCE_KEYS.contains(field.getKey())
                        && (!value.isTextual() || !value.asText().startsWith("#"))) {
                    throw new UnusableSpecException("the document refers outside itself (" + field.getKey()
                            + " not starting with #); an SDK is generated only from a self-contained document");
                }
                requireLocalReferences(value);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) requireLocalReferences(element);
        }
    }

    private byte[] zip(Path root) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile()) {
                        throw new UnusableSpecException("the generator made something other than a file");
                    }
                    files.add(file);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.comparing(Path::toString));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(new CappedStream(bytes, maxZipBytes))) {
            for (Path file : files) {
                Path real = file.toRealPath(LinkOption.NOFOLLOW_LINKS);
                if (!real.startsWith(root))
                    throw new UnusableSpecException("the generator wrote outside its directory");
                String name = root.relativize(real).toString().replace('\\', '/');
                zip.putNextEntry(new ZipEntry(name));
                Files.copy(real, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the temp directory's own cleanup
                }
            });
        } catch (IOException e) {
            // the same
        }
    }

    /** Refuses to grow a zip past the limit. */
    private static final class CappedStream extends OutputStream {
        private final OutputStream out;
        private final long limit;
        private long written;

        CappedStream(OutputStream out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > limit) {
                throw new UnusableSpecException("the generated client is over " + limit + " bytes");
            }
            out.write(b, off, len);
        }
    }
}
