package dev.sluice.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize} (kustomize v5.5 inside kubectl 1.32), as
 * {@code kubectl apply -k} would. Debian's {@code kubernetes-client} (1.20) is too old for these files; the
 * {@code kubectl} package is installed by {@code .ci/run} or, when missing, by {@link #kubectl()}.
 */
final class Kustomize {
    private static final long TIMEOUT_SECONDS = 120;

    private Kustomize() {
    }

    /** The rendered YAML stream of {@code dir}; fails with kustomize's own message when it cannot render. */
    static String render(Path dir) {
        Path out = null;
        try {
            out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
            Files.delete(err);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + stderr);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl kustomize " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + dir, e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /**
     * {@code kubectl} from the PATH; when it is missing and this is a Debian machine where we are root, installs
     * the {@code kubectl} package once (the same line as {@code .ci/run}). Empty when it cannot be had.
     */
    static synchronized Optional<Path> find() {
        Optional<Path> onPath = onPath();
        if (onPath.isPresent() || !new File("/usr/bin/apt-get").canExecute() || !"root".equals(System.getProperty("user.name"))) {
            return onPath;
        }
        try {
            Process install = new ProcessBuilder("sh", "-c", "apt-get install -y kubectl || (apt-get update && apt-get install -y kubectl)")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!install.waitFor(600, TimeUnit.SECONDS)) {
                install.destroyForcibly();
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return onPath();
    }

    private static Path kubectl() {
        return find().orElseThrow(() -> new IllegalStateException("kubectl is not installed (apt-get install -y kubectl)"));
    }

    private static Optional<Path> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : List.of(path.split(File.pathSeparator))) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
