package dev.docksmith.runtime;

/** The version of this build, read from the jar manifest ({@code dev} when run from classes). */
final class BuildVersion {
    private BuildVersion() {
    }

    static String get() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
