package dev.docksmith.runtime.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docksmith.api.BadRequestException;
import dev.docksmith.runtime.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyAndRequestTest {
    record Health(String status, String version) {
    }

    @Test
    void rawBodiesGetSuccessWhenTheyAreObjects() {
        assertEquals("{\"success\":true,\"status\":\"ok\",\"version\":\"1\"}", Reply.raw(200, new Health("ok", "1")).bodyText());
        ObjectNode node = Json.object().put("success", false).put("x", 1);
        assertEquals("{\"success\":false,\"x\":1}", Reply.raw(200, node).bodyText(), "an explicit success is kept");
        assertEquals("[1,2]", Reply.raw(200, List.of(1, 2)).bodyText());
        assertEquals("{\"success\":false,\"detail\":\"x\"}", Reply.raw(500, Map.of("detail", "x")).bodyText());
    }

    @Test
    void envelopes() {
        assertEquals("{\"success\":true,\"data\":[1]}", Reply.data(List.of(1)).bodyText());
        assertEquals("{\"success\":false,\"error\":{\"message\":\"m\",\"code\":\"C\"}}", Reply.error(418, "C", "m").bodyText());
        assertEquals(0, Reply.empty(204).body().length);
    }

    @Test
    void headersAreCopiedNotShared() {
        Reply base = Reply.data("x");
        Reply withHeader = base.header("X-A", "1");
        assertTrue(base.header("X-A").isEmpty());
        assertEquals("1", withHeader.header("x-a").orElseThrow());
    }

    @Test
    void queryParameters() {
        Request request = Request.builder("get", "/x?a=1&b=hello%20world&b=2&flag&n=-3&on=YES&off=0&plus=a+b").build();
        assertEquals("GET", request.method());
        assertEquals("1", request.query("a").orElseThrow());
        assertEquals(List.of("hello world", "2"), request.queryAll("b"));
        assertEquals("a b", request.query("plus").orElseThrow());
        assertTrue(request.queryBool("flag", false));
        assertTrue(request.queryBool("on", false));
        assertFalse(request.queryBool("off", true));
        assertTrue(request.queryBool("absent", true));
        assertEquals(-3, request.queryInt("n", 0));
        assertEquals(7, request.queryInt("absent", 7));
        BadRequestException bad = assertThrows(BadRequestException.class, () -> request.queryInt("b", 0));
        assertTrue(bad.getMessage().contains("'b'"));
        assertThrows(BadRequestException.class, () -> request.queryBool("plus", false));
    }

    @Test
    void headersAreCaseInsensitive() {
        Request request = Request.builder("GET", "/x").header("X-Thing", "v").build();
        assertEquals("v", request.header("x-thing").orElseThrow());
        assertTrue(request.header("missing").isEmpty());
    }

    enum Mode { FAST, SAFE }

    record Update(String container, Mode mode, List<String> containers) {
        Update {
            if (container != null && container.isBlank()) {
                throw new IllegalArgumentException("container must not be blank");
            }
        }
    }

    @Test
    void typedReadsNameTheField() {
        assertEquals(Mode.SAFE, read("{\"container\":\"a\",\"mode\":\"SAFE\"}").mode());
        assertTrue(message("{\"mode\":\"SLOW\"}").contains("'mode'"));
        assertTrue(message("{\"containers\":[\"a\",{\"x\":1}]}").contains("'containers[1]'"), message("{\"containers\":[\"a\",{\"x\":1}]}"));
        assertTrue(message("{\"container\":\" \"}").contains("must not be blank"));
    }

    private static Update read(String json) {
        return Request.builder("POST", "/x").json(json).build().read(Update.class);
    }

    private static String message(String json) {
        return assertThrows(BadRequestException.class, () -> read(json)).getMessage();
    }
}
