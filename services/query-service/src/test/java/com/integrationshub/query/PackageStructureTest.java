package com.integrationshub.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main code's packages depend on each other without a cycle, and name other classes by import, not inline:
 * read from the sources (imports and fully qualified names outside comments), so it runs in milliseconds.
 */
class PackageStructureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final String BASE = "com.integrationshub.query";
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A reference to a class of this service's packages: the package, then a capitalised name. */
    private static final Pattern SERVICE_REFERENCE =
            Pattern.compile("(?<![\\w.])(com\\.integrationshub\\.query(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    /** A fully qualified class name (package segments, then a capitalised name). */
    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.\"])(?:com|java|javax|jakarta|io|org|reactor)(?:\\.[a-z]\\w*)+\\.[A-Z]\\w*");

    @Test
    void shouldHaveNoPackageCycleInMainCode() {
        Map<String, Set<String>> uses = new TreeMap<>();
        Map<String, Set<String>> why = new HashMap<>();
        for (Source source : sources()) {
            uses.computeIfAbsent(source.pkg(), p -> new TreeSet<>());
            Matcher m = SERVICE_REFERENCE.matcher(source.code());
            while (m.find()) {
                String used = m.group(1);
                if (used.equals(source.pkg())) continue;
                uses.get(source.pkg()).add(used);
                why.computeIfAbsent(source.pkg() + " -> " + used, k -> new TreeSet<>())
                        .add(source.file());
            }
        }
        List<String> cycle = findCycle(uses);
        assertTrue(
                cycle.isEmpty(),
                () -> "package cycle: " + String.join(" -> ", cycle) + "; edges from " + describe(cycle, why));
    }

    @Test
    void shouldNameClassesByImportNotInlineInMainCode() {
        List<String> inline = new ArrayList<>();
        for (Source source : sources()) {
            String[] lines = source.code().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.startsWith("import ") || line.startsWith("package ")) continue;
                Matcher m = QUALIFIED.matcher(lines[i]);
                if (m.find()) inline.add(source.file() + ":" + (i + 1) + " " + m.group());
            }
        }
        assertEquals(List.of(), inline, "fully qualified names written inline; import them");
    }

    private static List<String> findCycle(Map<String, Set<String>> uses) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (String start : uses.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, uses, state, path)) return path;
        }
        return List.of();
    }

    private static boolean visit(
            String pkg, Map<String, Set<String>> uses, Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(pkg);
        if (seen != null && seen == 2) return false;
        path.add(pkg);
        if (seen != null && seen == 1) {
            path.subList(0, path.indexOf(pkg)).clear();
            return true;
        }
        state.put(pkg, 1);
        for (String next : uses.getOrDefault(pkg, Set.of())) {
            if (visit(next, uses, state, path)) return true;
        }
        state.put(pkg, 2);
        path.remove(path.size() - 1);
        return false;
    }

    private static String describe(List<String> cycle, Map<String, Set<String>> why) {
        Set<String> edges = new HashSet<>();
        for (int i = 0; i + 1 < cycle.size(); i++) {
            String edge = cycle.get(i) + " -> " + cycle.get(i + 1);
            edges.add(edge + " " + why.getOrDefault(edge, Set.of()));
        }
        return String.join("; ", new TreeSet<>(edges));
    }

    private record Source(String file, String pkg, String code) {}

    /** Every main source, comments and string literals blanked so that only code counts. */
    private static List<Source> sources() {
        assertTrue(Files.isDirectory(MAIN.resolve(BASE.replace('.', '/'))), "run from the module directory");
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Source> sources = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = withoutCommentsAndStrings(Files.readString(file));
                Matcher pkg = PACKAGE.matcher(code);
                assertTrue(pkg.find(), file + " has no package");
                sources.add(new Source(MAIN.relativize(file).toString(), pkg.group(1), code));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') i++;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end + 3;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                out.append("\"\"");
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) j += source.charAt(j) == '\\' ? 2 : 1;
                out.append(c).append(c);
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
