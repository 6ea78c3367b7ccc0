package io.ticketing.api.web.violation;

import io.ticketing.domain.port.out.LoadEventPort;
import io.ticketing.domain.service.EventService;

/** Deliberately wrong, to prove that the rules bite: a web handler past the use cases, on a service and an out-port. */
public final class WebHandlerCallingAService {
    public EventService events;
    public LoadEventPort loadEvent;
}
