package com.integrationshub.query.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a YAML document into a JSON tree, aliases resolved (Jackson's YAML reader would keep an alias as its
 * anchor's name). Hostile input is bounded twice: SnakeYAML refuses too many aliases, too deep a nesting and too
 * many code points, and the conversion refuses a tree of more than {@code maxNodes} nodes, so a few aliases that
 * point at each other (the "billion laughs") cannot grow into a huge tree either.
 */
final class YamlTree {

    private final LoaderOptions options;
    private final long maxNodes;

    YamlTree(int maxBytes, int maxDepth, int maxAliases, long maxNodes) {
        this.maxNodes = maxNodes;
        options = new LoaderOptions();
        options.setMaxAliasesForCollections(maxAliases);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(maxDepth);
        options.setCodePointLimit(maxBytes);
        options.setAllowDuplicateKeys(false);
    }

    /** The tree, or IllegalArgumentException with a message that does not quote the input. */
    JsonNode read(byte[] body) {
        Yaml yaml = new Yaml(
                new SafeConstructor(options),
                new Representer(new DumperOptions()),
                new DumperOptions(),
                options,
                new NoTimestamps());
        Object value = yaml.load(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        long[] budget = {maxNodes};
        return convert(value, budget);
    }

    private JsonNode convert(Object value, long[] budget) {
        if (--budget[0] < 0)
            throw new IllegalArgumentException("the document expands to more than " + maxNodes + " nodes");
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) return f.nullNode();
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = f.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                object.set(String.valueOf(e.getKey()), convert(e.getValue(), budget));
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = f.arrayNode();
            for (Object item : list) array.add(convert(item, budget));
            return array;
        }
        if (value instanceof String s) return f.textNode(s);
        if (value instanceof Boolean b) return f.booleanNode(b);
        if (value instanceof Integer i) return f.numberNode(i);
        if (value instanceof Long l) return f.numberNode(l);
        if (value instanceof BigInteger b) return f.numberNode(b);
        if (value instanceof Double d) return f.numberNode(d);
        if (value instanceof byte[] bytes) return f.binaryNode(bytes);
        return f.textNode(String.valueOf(value));
    }

    /** YAML 1.1 would turn an unquoted date into a timestamp; JSON has none, so it stays the string it was. */
    private static final class NoTimestamps extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            return Tag.TIMESTAMP.equals(tag) ? Tag.STR : tag;
        }
    }
}
