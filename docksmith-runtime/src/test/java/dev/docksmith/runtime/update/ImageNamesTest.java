package dev.docksmith.runtime.update;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageNamesTest {
    @ParameterizedTest
    @CsvSource({
            "nginx:1.25, nginx:1.26, nginx, 1.25",
            "nginx, nginx:1.26, nginx, ",
            "localhost:5000/a/b:1.0.0, localhost:5000/a/b:1.26, localhost:5000/a/b, 1.0.0",
            "localhost:5000/a/b, localhost:5000/a/b:1.26, localhost:5000/a/b, ",
            "ghcr.io/x/y@sha256:abc, ghcr.io/x/y:1.26, ghcr.io/x/y, ",
    })
    void keepsTheReferenceAsItsOwnerWroteIt(String image, String withTag, String repository, String tag) {
        assertEquals(withTag, ImageNames.withTag(image, "1.26"));
        assertEquals(repository, ImageNames.repository(image));
        assertEquals(tag, ImageNames.tag(image));
        assertEquals(repository + "@sha256:0f", ImageNames.withDigest(image, "sha256:0f"));
    }
}
