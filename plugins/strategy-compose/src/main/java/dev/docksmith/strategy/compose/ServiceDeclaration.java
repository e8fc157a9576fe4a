package dev.docksmith.strategy.compose;

import java.nio.file.Path;

/**
 * What one compose file says about one service, before merging with the other {@code -f} files.
 *
 * @param file        the file
 * @param image       the {@code image:} scalar's value before substitution, or null when this file does not set it
 * @param imageSpan   where that scalar sits, or null with {@code image}
 * @param resetsImage true for {@code image: !reset ...}, which removes an image an earlier file set
 * @param build       true when this file gives the service a {@code build:} section
 */
record ServiceDeclaration(Path file, String image, ScalarSpan imageSpan, boolean resetsImage, boolean build) {
}
