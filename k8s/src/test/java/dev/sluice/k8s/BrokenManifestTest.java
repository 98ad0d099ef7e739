package dev.sluice.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.k8s.ManifestCheck.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks catch real mistakes: each case copies the manifests (k8s/, examples/ and the gateway's packaged
 * configuration) to a temporary repository, breaks one file the way people do, and asserts the problem
 * reported names the object and the field.
 */
class BrokenManifestTest {
    private static final Target PROD = ManifestCheck.TARGETS.get(2);
    private static final Target DEV = ManifestCheck.TARGETS.get(0);
    private static final Target PROD_REPLAY = ManifestCheck.TARGETS.get(3);

    @TempDir
    Path repo;

    @BeforeAll
    static void kubectl() {
        KubectlAvailable.assume();
    }

    @BeforeEach
    void copyRepository() throws IOException {
        Path source = ManifestCheck.repo();
        copyTree(source.resolve("k8s/base"), repo.resolve("k8s/base"));
        copyTree(source.resolve("k8s/components"), repo.resolve("k8s/components"));
        copyTree(source.resolve("k8s/overlays"), repo.resolve("k8s/overlays"));
        copyTree(source.resolve("examples"), repo.resolve("examples"));
        Path gatewayConfig = Path.of("ingest-gateway/src/main/resources/application.yaml");
        Files.createDirectories(repo.resolve(gatewayConfig).getParent());
        Files.copy(source.resolve(gatewayConfig), repo.resolve(gatewayConfig));
        Files.copy(source.resolve("pom.xml"), repo.resolve("pom.xml"));
    }

    @Test
    void theUnmodifiedCopyPasses() {
        assertThat(ManifestCheck.check(repo, PROD)).isEmpty();
    }

    @Test
    void anUnknownFieldInAFlinkDeploymentFails() throws IOException {
        edit("k8s/base/flink/app-logs.yaml", "    parallelism: 2\n", "    parallelism: 2\n    savepointDir: s3://elsewhere\n");
        assertThat(ManifestCheck.check(repo, PROD)).containsExactly("FlinkDeployment/sluice-app-logs: $.spec.job: "
                + "property 'savepointDir' is not defined in the schema and the schema does not allow additional properties");
    }

    @Test
    void aValueOutsideTheCrdEnumFails() throws IOException {
        edit("k8s/base/flink/common.yaml", "upgradeMode: last-state", "upgradeMode: last_state");
        assertThat(ManifestCheck.check(repo, DEV)).anySatisfy(p -> assertThat(p)
                .startsWith("FlinkDeployment/sluice-game-ops: ").contains("spec.job.upgradeMode").contains("enum"));
    }

    @Test
    void aMisspelledKeyInTheFlinkPodTemplateFails() throws IOException {
        edit("k8s/base/flink/common.yaml", "          volumeMounts:", "          volumeMount:");
        assertThat(ManifestCheck.check(repo, PROD)).anySatisfy(p -> assertThat(p)
                .startsWith("FlinkDeployment/sluice-app-logs").contains("volumeMount"));
    }

    @Test
    void aMissingConfigMapReferenceFails() throws IOException {
        edit("k8s/base/gateway/deployment.yaml", "name: sluice-gateway-config", "name: sluice-gateway-settings");
        assertThat(ManifestCheck.check(repo, PROD)).contains(
                "Deployment/sluice-gateway: volume config references ConfigMap sluice-gateway-settings, which is not in overlays/prod");
    }

    @Test
    void aMissingConfigMapKeyFails() throws IOException {
        edit("k8s/overlays/prod/platform/platform.env", "metastore-uri=", "hive-metastore-uri=");
        assertThat(ManifestCheck.check(repo, PROD_REPLAY)).contains(
                "Job/sluice-replay container replay: env METASTORE_URI references key metastore-uri of ConfigMap "
                        + "sluice-platform-" + platformHash(PROD_REPLAY) + ", which has no such key");
    }

    @Test
    void anUnknownFieldInADeploymentFails() throws IOException {
        edit("k8s/base/gateway/deployment.yaml", "          readinessProbe:", "          readinesProbe:");
        assertThat(ManifestCheck.check(repo, PROD))
                .contains("Deployment/sluice-gateway: unknown field spec.template.spec.containers[0].readinesProbe")
                .contains("Deployment/sluice-gateway container gateway: has no HTTP readinessProbe (the gateway serves /q/health/ready)");
    }

    @Test
    void aProbeOnAPathTheGatewayDoesNotServeFails() throws IOException {
        edit("k8s/base/gateway/deployment.yaml", "path: /q/health/live", "path: /healthz");
        assertThat(ManifestCheck.check(repo, DEV))
                .contains("Deployment/sluice-gateway container gateway: livenessProbe asks /healthz; the gateway serves /q/health/live");
    }

    @Test
    void anUnknownFieldInAKafkaTopicFails() throws IOException {
        edit("k8s/base/kafka/topics.yaml", "  partitions: 3\n", "  partition: 3\n");
        assertThat(ManifestCheck.check(repo, PROD)).contains("KafkaTopic/sluice-dlq: unknown field spec.partition");
    }

    @Test
    void aKafkaTopicOutsideStrimzisCrdBoundsFails() throws IOException {
        edit("k8s/base/kafka/topics.yaml", "  partitions: 3\n", "  partitions: 0\n");
        assertThat(ManifestCheck.check(repo, PROD)).contains("KafkaTopic/sluice-dlq: $.spec.partitions: must have a minimum value of 1");
    }

    @Test
    void aWrongTypeInAMonitorFails() throws IOException {
        edit("k8s/base/monitoring/monitors.yaml", "      interval: 15s\n      relabelings:\n        - targetLabel: job\n          replacement: sluice-gateway",
                "      interval: 15s\n      relabelings:\n        - targetLabel: job\n          replacement: sluice-gateway\n          regex: [a]");
        assertThat(ManifestCheck.check(repo, PROD)).anySatisfy(p -> assertThat(p)
                .startsWith("ServiceMonitor/sluice-gateway: does not parse as ServiceMonitor"));
    }

    @Test
    void aPipelineArgumentNamingNoMountedFileFails() throws IOException {
        edit("k8s/base/flink/game-ops.yaml", "- /etc/sluice/pipelines/game-ops.yaml", "- /etc/sluice/pipelines/game-op.yaml");
        assertThat(ManifestCheck.check(repo, PROD)).contains(
                "FlinkDeployment/sluice-game-ops: --pipeline /etc/sluice/pipelines/game-op.yaml is not a file of a ConfigMap mounted in flink-main-container",
                "overlays/prod: example pipeline game-ops.yaml has no FlinkDeployment (add k8s/base/flink/game-ops.yaml and its ConfigMap in examples/kustomization.yaml)");
    }

    @Test
    void aNewExamplePipelineWithoutAFlinkDeploymentFails() throws IOException {
        Files.copy(repo.resolve("examples/pipelines/app-logs.yaml"), repo.resolve("examples/pipelines/billing.yaml"));
        assertThat(ManifestCheck.check(repo, DEV)).contains(
                "overlays/dev: example pipeline billing.yaml has no FlinkDeployment (add k8s/base/flink/billing.yaml and its ConfigMap in examples/kustomization.yaml)");
    }

    @Test
    void anUnpinnedImageFails() throws IOException {
        edit("k8s/overlays/prod/kustomization.yaml", "  - name: ghcr.io/sluice-dev/sluice-flink-job\n    newTag: 0.1.0", "  - name: ghcr.io/sluice-dev/sluice-flink-job\n    newTag: latest");
        assertThat(ManifestCheck.check(repo, PROD)).contains(
                "FlinkDeployment/sluice-nginx-access: image ghcr.io/sluice-dev/sluice-flink-job:latest is not pinned: 'latest' moves; give it a version tag or a digest");
    }

    @Test
    void aContainerWithoutResourcesFails() throws IOException {
        edit("k8s/base/replay/job.yaml", "          resources:\n            requests:\n              cpu: \"1\"\n              memory: 2Gi\n            limits:\n              memory: 2Gi\n", "");
        assertThat(ManifestCheck.check(repo, PROD_REPLAY)).contains(
                "Job/sluice-replay container replay: has no cpu and memory requests",
                "Job/sluice-replay container replay: has no memory limit");
    }

    @Test
    void aShutdownShorterThanTheAckTimeoutFails() throws IOException {
        edit("k8s/base/gateway/application.yaml", "timeout: 15s", "timeout: 5s");
        assertThat(ManifestCheck.check(repo, PROD)).contains(
                "Deployment/sluice-gateway container gateway: quarkus.shutdown.timeout (PT5S) must be longer than sluice.gateway.kafka.ack-timeout (PT6S)");
    }

    @Test
    void aGatewaySourceWithoutATopicFails() throws IOException {
        edit("k8s/base/gateway/application.yaml", "topic: raw-nginx-access", "topic: raw-nginx");
        assertThat(ManifestCheck.check(repo, PROD)).contains(
                "Deployment/sluice-gateway container gateway: source nginx-access writes to topic raw-nginx, which has no KafkaTopic");
    }

    @Test
    void aPolicyOpeningFlinkToEveryNamespaceFails() throws IOException {
        edit("k8s/base/gateway/networkpolicy.yaml", "kubernetes.io/metadata.name: monitoring", "{}");
        edit("k8s/base/gateway/networkpolicy.yaml", "            matchLabels:\n              {}", "            {}");
        assertThat(ManifestCheck.check(repo, PROD)).anySatisfy(p -> assertThat(p)
                .startsWith("NetworkPolicy/sluice-metrics-scrape: admits traffic from outside the namespace to FlinkDeployment/"));
    }

    @Test
    void aPlatformValueTheReplacementsMissFails() throws IOException {
        // An argument moved: the replacement (by position) now overwrites the wrong one.
        edit("k8s/base/flink/app-logs.yaml", "      - --lake-root=LAKE_ROOT\n      - --metastore-uri=METASTORE_URI\n",
                "      - --metastore-uri=METASTORE_URI\n      - --lake-root=LAKE_ROOT\n");
        assertThat(ManifestCheck.check(repo, PROD)).anySatisfy(p -> assertThat(p)
                .startsWith("FlinkDeployment/sluice-app-logs: --lake-root is thrift://"));
    }

    @Test
    void aFlinkDeploymentWithoutTheJava17FlagsFails() throws IOException {
        edit("k8s/base/flink/common.yaml", "    env.java.opts.all: --add-exports", "    env.java.opts.all.x: --add-exports");
        assertThat(ManifestCheck.check(repo, DEV)).anySatisfy(p -> assertThat(p)
                .startsWith("FlinkDeployment/sluice-app-logs flinkConfiguration env.java.opts.all lacks Java 17 flags of the root pom's sluice.jvm.opens: ")
                .contains("--add-opens=java.base/java.util=ALL-UNNAMED"));
    }

    @Test
    void aStatefulUpgradeWithoutCheckpointDirectoryFails() throws IOException {
        edit("k8s/base/flink/mysql-orders.yaml", "    state.checkpoints.dir: s3://FLINK_STATE_BUCKET/checkpoints/mysql-orders\n", "");
        edit("k8s/components/platform/kustomization.yaml", "          - spec.flinkConfiguration.[state.checkpoints.dir]\n", "");
        assertThat(ManifestCheck.check(repo, PROD)).contains(
                "FlinkDeployment/sluice-mysql-orders: flinkConfiguration needs state.checkpoints.dir for upgradeMode last-state (the operator refuses the resource without it)");
    }

    private String platformHash(Target target) {
        return ManifestCheck.render(repo, target).ofKind("ConfigMap").stream().map(Rendered::nameOf)
                .filter(n -> n.startsWith("sluice-platform-")).findFirst().orElseThrow().substring("sluice-platform-".length());
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = repo.resolve(file);
        String content = Files.readString(path, StandardCharsets.UTF_8);
        assertThat(content).as("%s contains the text to break", file).contains(from);
        Files.writeString(path, content.replace(from, to), StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
