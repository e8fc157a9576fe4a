package dev.docksmith.runtime.http;

/** The routing contract without a socket: requests built in memory, through the same pipeline. */
class InMemoryRoutingTest extends RoutingContract {
    private final HttpApi api = HttpApi.builder(new Router().register(new TestRoutes())).build();

    @Override
    Resp call(String method, String target, String body, String... headers) {
        Request.Builder request = Request.builder(method, target);
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null) {
            if (typed) {
                request.body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                request.json(body);
            }
        }
        return Resp.of(api.handle(request.build()));
    }
}
