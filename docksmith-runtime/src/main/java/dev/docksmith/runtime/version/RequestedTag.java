package dev.docksmith.runtime.version;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code version} a client asks an update to move to, against the tag the container runs.
 * A client often sends a bare version ({@code 1.27.1}) for a container on a variant tag
 * ({@code 1.25.3-alpine}); when that bare tag exists it is another image family (Debian nginx), and
 * moving there silently would swap the container's base system. Such a request is refused, naming the
 * tag of the running family that was probably meant ({@code 1.27.1-alpine}).
 */
public final class RequestedTag {
    private RequestedTag() {
    }

    /**
     * The variant family of a running tag: {@code alpine} for {@code 1.25.3-alpine3.19} and for
     * {@code stable-alpine}, empty for {@code 1.25.3}, {@code 2.1.0-ls104} or {@code latest}; empty as well
     * for tags that name no version or channel ({@code sha-1a2b3c4}), which have no family to keep.
     */
    public static String familyOf(String tag) {
        TagVersion v = TagParser.parse(tag);
        if (v != null) {
            return v.family();
        }
        VariantFamily.FloatingName name = tag == null ? null : VariantFamily.floatingName(tag);
        return name == null ? "" : name.family();
    }

    /**
     * Whether {@code requested} is a bare version ({@code 1.27.1}, {@code v1.27.1}, {@code 2.1.0-ls105}: no
     * variant) while {@code running} is of a variant family: moving there would change image family.
     * A requested tag that spells a variant out ({@code 1.27.1-bookworm}) is a deliberate choice and is
     * not refused here; neither is a channel ({@code latest}).
     */
    public static boolean leavesFamily(String running, String requested) {
        TagVersion wanted = TagParser.parse(requested);
        return wanted != null && wanted.variant().isEmpty() && !familyOf(running).isEmpty();
    }

    /**
     * The tag of the running tag's family that names the same version as {@code requested}, other than
     * {@code requested} itself: {@code 1.27.1-alpine} for {@code 1.27.1} when running {@code 1.25.3-alpine},
     * {@code v2.11.0} for {@code 2.11.0} when running {@code v2.10.0}, the newest build
     * ({@code 2.1.0-ls105}) for {@code 2.1.0} when running {@code 2.1.0-ls104}. Empty when there is none
     * or {@code requested} is no version.
     */
    public static Optional<String> meant(String running, String requested, Collection<String> tags) {
        TagVersion wanted = TagParser.parse(requested);
        if (wanted == null || tags == null) {
            return Optional.empty();
        }
        String family = familyOf(running);
        List<TagVersion> same = new ArrayList<>();
        for (String tag : tags) {
            TagVersion v = TagParser.parse(tag);
            if (v != null && !tag.equals(requested) && v.family().equals(family) && v.version().equals(wanted.version())) {
                same.add(v);
            }
        }
        TagVersion current = TagParser.parse(running);
        // The same tie-breaks as an update's own choice: newest build, then closest to what runs.
        Comparator<TagVersion> order = current != null ? CandidateOrder.forVersion(current)
                : CandidateOrder.forChannel(running == null ? "" : variantOfChannel(running));
        same.sort(order);
        return same.isEmpty() ? Optional.empty() : Optional.of(same.get(0).tag());
    }

    private static String variantOfChannel(String running) {
        VariantFamily.FloatingName name = VariantFamily.floatingName(running);
        return name == null ? "" : name.variant();
    }
}
