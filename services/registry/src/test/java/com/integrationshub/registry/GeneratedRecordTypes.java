package com.integrationshub.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;

/** Finds the generated Avro record classes of packages on the test classpath, from directories or jars. */
final class GeneratedRecordTypes {

    private GeneratedRecordTypes() {}

    /** Returns every concrete {@link SpecificRecord} class directly in the given packages, sorted by name. */
    static List<Class<? extends SpecificRecord>> inPackages(String... packages) {
        final List<Class<? extends SpecificRecord>> found = new ArrayList<>();
        final ClassLoader loader = GeneratedRecordTypes.class.getClassLoader();
        try {
            for (String pkg : packages) {
                final String dir = pkg.replace('.', '/');
                final Enumeration<URL> urls = loader.getResources(dir);
                for (URL url : Collections.list(urls)) {
                    for (String simpleName : classNames(url, dir)) {
                        final Class<?> type = Class.forName(pkg + "." + simpleName, true, loader);
                        if (SpecificRecord.class.isAssignableFrom(type)
                                && !type.isInterface()
                                && !Modifier.isAbstract(type.getModifiers())) {
                            found.add(type.asSubclass(SpecificRecord.class));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        found.sort(Comparator.comparing(Class::getName));
        return found;
    }

    private static List<String> classNames(URL url, String dir) throws IOException, URISyntaxException {
        final List<String> names = new ArrayList<>();
        if (url.getProtocol().equals("file")) {
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                files.map(p -> p.getFileName().toString())
                        .filter(GeneratedRecordTypes::isTopLevelClass)
                        .forEach(n -> names.add(n.substring(0, n.length() - ".class".length())));
            }
        } else if (url.getProtocol().equals("jar")) {
            final JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    final String name = entry.getName();
                    if (name.startsWith(dir + "/") && name.indexOf('/', dir.length() + 1) < 0) {
                        final String file = name.substring(dir.length() + 1);
                        if (isTopLevelClass(file)) {
                            names.add(file.substring(0, file.length() - ".class".length()));
                        }
                    }
                }
            }
        }
        return names;
    }

    private static boolean isTopLevelClass(String fileName) {
        return fileName.endsWith(".class") && !fileName.contains("$");
    }
}
