package com.integrationshub.query.spec;

import java.util.List;

/** The body is not a valid OpenAPI 3.0/3.1 document; the messages are the parser's, bounded in number and length. */
public class InvalidSpecException extends RuntimeException {

    private final List<String> messages;

    public InvalidSpecException(String summary, List<String> messages) {
        super(summary);
        this.messages = List.copyOf(messages);
    }

    public List<String> messages() {
        return messages;
    }
}
