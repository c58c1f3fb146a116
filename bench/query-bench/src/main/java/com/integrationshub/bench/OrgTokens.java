package com.integrationshub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints the HS256 org tokens of API.md ({@code sub}, {@code org_id}) with the stack's JWT secret. */
final class OrgTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER =
            B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final byte[] secret;
    private final long issuedAt = Instant.now().getEpochSecond();

    OrgTokens(byte[] secret) {
        this.secret = secret.clone();
    }

    /** Tokens for the stack whose JWT secret is in the given file. */
    static OrgTokens fromSecretFile(Path file) throws IOException {
        return new OrgTokens(Files.readString(file).strip().getBytes(StandardCharsets.UTF_8));
    }

    /** A token that may act only for `orgId`, valid for a day. */
    String forOrg(String orgId) {
        String claims = "{\"sub\":\"bench-" + orgId + "\",\"org_id\":\"" + orgId + "\",\"iat\":" + issuedAt
                + ",\"exp\":" + (issuedAt + 86_400) + "}";
        String signingInput = HEADER + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** One token per org, in org order. */
    List<String> forOrgs(Names names) {
        List<String> tokens = new ArrayList<>(names.orgs());
        for (int i = 0; i < names.orgs(); i++) tokens.add(forOrg(names.org(i)));
        return tokens;
    }
}
