package dev.docksmith.registry.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker-credential-<name> get}: the server URL on stdin, {@code {"Username","Secret"}} on
 * stdout. A helper that answers "credentials not found" means anonymous access.
 */
final class CredentialHelper {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CredentialHelper() {
    }

    /**
     * @throws IOException when the helper is missing, times out, or fails for another reason than not knowing the registry
     */
    static Optional<Credentials> get(String name, String serverUrl, List<Path> searchPath, Duration timeout) throws IOException {
        String program = "docker-credential-" + name;
        Path executable = locate(program, searchPath);
        Process process = new ProcessBuilder(executable.toString(), "get")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A helper may exit before reading; its exit code and output say why.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " did not answer within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(program + " was interrupted");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            if (out.toLowerCase(Locale.ROOT).contains("credentials not found")) {
                return Optional.empty();
            }
            throw new IOException(program + " exited with " + process.exitValue() + (out.isEmpty() ? "" : ": " + firstLine(out)));
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(out);
        } catch (IOException e) {
            throw new IOException(program + " did not answer JSON: " + firstLine(out));
        }
        String user = answer.path("Username").asText("");
        String secret = answer.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        // Docker's convention: a username of <token> marks the secret as an identity token.
        return Optional.of(user.equals("<token>") ? Credentials.identityToken(secret) : Credentials.basic(user, secret));
    }

    private static Path locate(String program, List<Path> searchPath) throws IOException {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException(program + " is not on the PATH");
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl >= 0 ? text.substring(0, nl) : text;
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
