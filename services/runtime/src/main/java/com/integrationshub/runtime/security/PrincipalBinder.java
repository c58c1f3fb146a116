package com.integrationshub.runtime.security;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import java.security.Principal;

/**
 * Binds a {@link Principal} argument (e.g. /health's) to the request's user principal, which the access filters set
 * for admin tokens; without Micronaut Security nothing else would bind it.
 */
@Singleton
public class PrincipalBinder implements TypedRequestArgumentBinder<Principal> {

    @Override
    public Argument<Principal> argumentType() {
        return Argument.of(Principal.class);
    }

    @Override
    public BindingResult<Principal> bind(ArgumentConversionContext<Principal> context, HttpRequest<?> source) {
        return () -> source.getUserPrincipal();
    }
}
