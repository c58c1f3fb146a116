package com.integrationshub.domain.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsChoiceTest {

    @Test
    void shouldTryTheOrgsOwnCredentialsThenTheGlobalOnes() {
        assertEquals(
                List.of(CredentialsDecider.key("halo", "org-1"), CredentialsDecider.key("halo", null)),
                CredentialsChoice.candidates("halo", "org-1"));
    }
}
