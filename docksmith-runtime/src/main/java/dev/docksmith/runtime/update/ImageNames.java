package dev.docksmith.runtime.update;

/**
 * Rewrites an image reference the way its owner wrote it ({@code nginx:1.25} stays short,
 * {@code localhost:5000/a/b:1} keeps its registry), so a compose file edit changes only the tag.
 */
final class ImageNames {
    private ImageNames() {
    }

    /** The repository part as written: no tag, no digest. */
    static String repository(String image) {
        String s = image;
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
    }

    /** The same repository with another tag. */
    static String withTag(String image, String tag) {
        return repository(image) + ":" + tag;
    }

    /** The same repository pinned to a digest. */
    static String withDigest(String image, String digest) {
        return repository(image) + "@" + digest;
    }

    /** The tag as written, or null. */
    static String tag(String image) {
        String s = image;
        int at = s.indexOf('@');
        if (at >= 0) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(colon + 1) : null;
    }
}
