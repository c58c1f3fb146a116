package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PendingRequestsTest {

    private final TokenEntry token = new TokenEntry(new ConnectionEntry("halo", 0), "org-1");

    @Test
    void shouldTakeRequestsOldestFirstEachOnce() {
        token.addRequest("r1");
        token.addRequest("r2");
        token.addRequest("r1");

        assertEquals(2, token.requests.size());
        assertEquals("r1", token.pollRequest());
        assertEquals("r2", token.pollRequest());
        assertNull(token.pollRequest());
        assertFalse(token.hasRequests());
        assertSame(PendingRequests.NONE, token.requests, "a token without requests keeps no object of its own");
    }

    @Test
    void shouldNotQueueTheRequestTheCurrentRefreshAnswers() {
        token.underwayForUpdate().activeRequest = "r1";

        token.addRequest("r1");

        assertFalse(token.hasRequests());
    }

    @Test
    void shouldPutTheRequestOfAnAbandonedRefreshBackInFront() {
        token.addRequest("r1");
        token.addRequest("r2");
        token.underwayForUpdate().activeRequest = token.pollRequest();
        token.addRequest("r3");

        token.returnRequest(token.underway().activeRequest);

        assertEquals("[r1, r2, r3]", token.requests.toString());
    }

    @Test
    void shouldForgetARequestAnEventAnswered() {
        token.addRequest("r1");
        token.addRequest("r2");

        token.answered("r1");
        token.answered("unknown");
        token.answered(null);

        assertTrue(token.requests.contains("r2"));
        assertFalse(token.requests.contains("r1"));
        assertEquals(1, token.requests.size());
    }

    @Test
    void shouldLeaveTheSharedEmptyValueAlone() {
        final PendingRequests one = PendingRequests.NONE.with("r1");

        assertTrue(PendingRequests.NONE.isEmpty());
        assertEquals("r1", one.oldest());
        assertSame(PendingRequests.NONE, one.without("r1"));
    }
}
