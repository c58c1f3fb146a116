package com.integrationshub.client.internal;

import com.integrationshub.client.BearerTokenSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextConfiguration;
import io.micronaut.context.DefaultApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.inject.BeanDefinitionReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The private Micronaut context of a client made without one: the framework's beans and the client's own, and no
 * others. A caller's classpath may hold other bean definitions (its own, or a whole service's); they are left out,
 * so none of them is started here. No configuration is read from files, system properties or the environment:
 * only the properties given.
 */
public final class ClientContext extends DefaultApplicationContext {

    private static final List<String> KEPT_PACKAGES = List.of("io.micronaut.", "com.integrationshub.client.");

    private ClientContext(ApplicationContextConfiguration configuration) {
        super(configuration);
    }

    /** Returns a started context with these properties and the token source as a bean; the caller closes it. */
    public static ApplicationContext start(Map<String, Object> properties, BearerTokenSource tokens) {
        ClientContext context = new ClientContext(new Isolated());
        context.getEnvironment().addPropertySource(PropertySource.of("integrations-hub-client", properties));
        context.registerSingleton(BearerTokenSource.class, tokens);
        try {
            context.start();
            return context;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Keeps the bean definitions of the framework and of the client only. */
    @Override
    protected List<BeanDefinitionReference> resolveBeanDefinitionReferences() {
        return super.resolveBeanDefinitionReferences().stream()
                .filter(reference -> KEPT_PACKAGES.stream().anyMatch(reference.getBeanDefinitionName()::startsWith))
                .toList();
    }

    /** No environments deduced, no default property sources, no banner. */
    private static final class Isolated implements ApplicationContextConfiguration {

        @Override
        public List<String> getEnvironments() {
            return List.of();
        }

        @Override
        public Optional<Boolean> getDeduceEnvironments() {
            return Optional.of(false);
        }

        @Override
        public boolean isDeduceCloudEnvironment() {
            return false;
        }

        @Override
        public boolean isEnableDefaultPropertySources() {
            return false;
        }

        @Override
        public boolean isEnvironmentPropertySource() {
            return false;
        }

        @Override
        public boolean isBannerEnabled() {
            return false;
        }

        @Override
        public Boolean isBootstrapEnvironmentEnabled() {
            return false;
        }

        @Override
        public ClassLoader getClassLoader() {
            return ClientContext.class.getClassLoader();
        }
    }
}
