package dev.docksmith.scripts;

import java.nio.file.Path;

/**
 * A script that passed every path check.
 *
 * @param name       its canonical name: the path relative to the scripts directory, with {@code /}
 * @param executable its real path (symbolic links resolved), which is what runs, so a link swapped
 *                   after the check cannot redirect the run outside the directory
 */
record Script(String name, Path executable) {
}
