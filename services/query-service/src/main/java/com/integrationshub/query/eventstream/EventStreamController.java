package com.integrationshub.query.eventstream;

import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.reactivestreams.Publisher;

/** GET /v1/events/stream (admin): the events topic as server-sent events, secrets masked, resumable. */
@Controller("/v1/events")
@Tag(name = "Events", description = "The events topic as server-sent events (admin)")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
public class EventStreamController {

    /** The header a reconnecting EventSource sends with the id of the last message it received. */
    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventStreams streams;

    public EventStreamController(EventStreams streams) {
        this.streams = streams;
    }

    /** GET /v1/events/stream[?types=A,B] → text/event-stream, from the end or after Last-Event-ID. */
    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(
            operationId = "streamEvents",
            summary = "Streams the events as server-sent events, secrets masked",
            description = "Each message: `id` an opaque resume position (send it back as `Last-Event-ID`), `event` the"
                    + " event's type, `data` one line of JSON: the history's entry (`type`, `version`, `at`, `org_id`,"
                    + " `event_id`, `data` with secrets masked) plus `aggregate_id`, `integration_name` and"
                    + " `connection_name`. A comment (`: heartbeat`) with the current position comes when nothing"
                    + " else has for hub.events-stream.heartbeat, and once when the stream opens. Without"
                    + " `Last-Event-ID` the stream starts at the end (new events only).")
    @ApiResponse(
            responseCode = "200",
            description = "The stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public MutableHttpResponse<Publisher<Event<String>>> stream(
            @Parameter(
                            description = "Comma-separated event types, e.g. TokenRefreshed,TokenRefreshFailed; absent:"
                                    + " every type. An unknown type answers 422 naming `types`.")
                    @Nullable
                    @QueryValue("types")
                    List<String> types,
            @Parameter(
                            description = "The id of the last message received: the stream resumes right after it (from"
                                    + " the start of the log if it is older than the log). Not an id of this stream:"
                                    + " 422 naming `Last-Event-ID`.")
                    @Nullable
                    @Header(LAST_EVENT_ID)
                    String lastEventId) {
        Optional<Set<String>> asked;
        try {
            asked = EventTypes.parse(types == null ? List.of() : types);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("types", e.getMessage());
        }
        Optional<ResumePosition> start;
        try {
            start = Optional.ofNullable(lastEventId)
                    .map(String::strip)
                    .filter(id -> !id.isEmpty())
                    .map(ResumePosition::parse);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(LAST_EVENT_ID, e.getMessage());
        }
        Publisher<Event<String>> events = streams.open(asked, start);
        return HttpResponse.ok(events)
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                // Proxies that buffer answers (nginx) would hold the messages back.
                .header("X-Accel-Buffering", "no");
    }
}
