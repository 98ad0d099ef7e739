package dev.sluice.observability;

import dev.sluice.infra.prometheus.PrometheusServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code prometheus} and {@code promtool} binaries for the tests (Debian's {@code prometheus} package
 * ships both). When they are missing, the first test that needs them installs the package, as
 * {@code .ci/run} does; only when that is impossible (no apt, not root) do the tests skip, saying why.
 */
final class PrometheusTools {
    private static Boolean installed;

    private PrometheusTools() {
    }

    static Path promtool() {
        return binary("promtool");
    }

    static Path prometheus() {
        return binary("prometheus");
    }

    /** Runs {@code promtool args...} from {@code dir}; returns its exit code and output. */
    static Result promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtool().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + args[0] + " did not finish within 2 minutes");
        }
        return new Result(process.exitValue(), output);
    }

    record Result(int exitCode, String output) {
    }

    private static synchronized Path binary(String name) {
        Optional<Path> found = PrometheusServer.onPath(name);
        if (found.isEmpty() && installed == null) {
            installed = install();
            found = PrometheusServer.onPath(name);
        }
        Assumptions.assumeTrue(found.isPresent(), name + " is not installed and `apt-get install -y prometheus`"
                + " was not possible here (needs apt and root); install Debian's prometheus package to run this test");
        return found.get();
    }

    private static boolean install() {
        if (PrometheusServer.onPath("apt-get").isEmpty()) {
            return false;
        }
        try {
            Process process = new ProcessBuilder("sh", "-c",
                    "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(15, TimeUnit.MINUTES) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
