package dev.sluice.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders one kustomization and reports every problem: schema first, then the cross-checks. */
final class ManifestCheck {
    /** The kustomizations `kubectl apply -k` is documented for, relative to k8s/, with their namespaces. */
    static final List<Target> TARGETS = List.of(
            new Target("overlays/dev", "sluice-dev"),
            new Target("overlays/dev/replay", "sluice-dev"),
            new Target("overlays/prod", "sluice"),
            new Target("overlays/prod/replay", "sluice"));

    record Target(String dir, String namespace) {
        @Override
        public String toString() {
            return dir;
        }
    }

    private static StrictSchemas schemas;

    private ManifestCheck() {
    }

    /** Problems of {@code target} rendered from {@code repo}/k8s (the repository, or a modified copy in tests). */
    static List<String> check(Path repo, Target target) {
        Rendered rendered = render(repo, target);
        List<String> problems = new ArrayList<>();
        StrictSchemas strict = schemas();
        rendered.objects().forEach(o -> problems.addAll(strict.check(o)));
        problems.addAll(CrossChecks.check(rendered, repo, target.namespace()));
        return problems;
    }

    static Rendered render(Path repo, Target target) {
        return Rendered.parse(target.dir(), Kustomize.render(repo.resolve("k8s").resolve(target.dir())));
    }

    private static synchronized StrictSchemas schemas() {
        if (schemas == null) {
            schemas = new StrictSchemas();
        }
        return schemas;
    }

    /** The repository root: tests run in k8s/. */
    static Path repo() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
