package dev.sluice.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.k8s.ManifestCheck.Target;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every kustomization users apply renders with kubectl's kustomize and passes the strict schemas and the
 * cross-checks; each overlay holds the objects docs/kubernetes.md describes.
 */
class OverlayValidationTest {
    static final List<Target> TARGETS = ManifestCheck.TARGETS;

    @BeforeAll
    static void kubectl() {
        KubectlAvailable.assume();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TARGETS")
    void rendersAndPassesEveryCheck(Target target) {
        assertThat(ManifestCheck.check(ManifestCheck.repo(), target)).isEmpty();
    }

    @Test
    void prodScalesTheGatewayAndDevDoesNot() {
        Map<String, Long> prod = kinds(ManifestCheck.TARGETS.get(2));
        Map<String, Long> dev = kinds(ManifestCheck.TARGETS.get(0));
        int pipelines = Pipelines.files(ManifestCheck.repo()).size();
        assertThat(prod).containsEntry("Deployment", 1L).containsEntry("Service", 1L)
                .containsEntry("HorizontalPodAutoscaler", 1L).containsEntry("PodDisruptionBudget", 1L)
                .containsEntry("FlinkDeployment", (long) pipelines).containsEntry("KafkaTopic", pipelines + Pipelines.kafkaSinkTopics(ManifestCheck.repo()) + 1L)
                .containsEntry("PodMonitor", 1L).containsEntry("ServiceMonitor", 1L).containsEntry("PrometheusRule", 1L)
                .containsEntry("NetworkPolicy", 4L).doesNotContainKey("Job");
        assertThat(dev).doesNotContainKeys("HorizontalPodAutoscaler", "PodDisruptionBudget", "Job")
                .containsEntry("FlinkDeployment", (long) pipelines);
        Rendered devRendered = ManifestCheck.render(ManifestCheck.repo(), ManifestCheck.TARGETS.get(0));
        assertThat(devRendered.find("Deployment", "sluice-gateway").orElseThrow().path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void replayRendersOnlyTheJobAndWhatItReads() {
        Map<String, Long> replay = kinds(ManifestCheck.TARGETS.get(3));
        assertThat(replay.keySet()).containsOnly("Job", "ConfigMap");
        assertThat(replay).containsEntry("Job", 1L);
    }

    private static Map<String, Long> kinds(Target target) {
        Map<String, Long> kinds = new TreeMap<>();
        ManifestCheck.render(ManifestCheck.repo(), target).objects().forEach(o -> kinds.merge(Rendered.kindOf(o), 1L, Long::sum));
        return kinds;
    }
}
