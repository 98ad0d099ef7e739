package dev.sluice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.config.KafkaSinkConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.TableConfig;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a schema cannot see: that the objects of one rendered overlay fit together and fit Sluice. Every method
 * appends problems, each naming the object and what to fix.
 */
final class CrossChecks {
    /** Paths the gateway serves for probes and scraping (Quarkus SmallRye Health and Micrometer, docs/gateway.md). */
    static final String READY_PATH = "/q/health/ready";
    static final String LIVE_PATH = "/q/health/live";
    static final String METRICS_PATH = "/q/metrics";

    static final String GATEWAY = "sluice-gateway";
    static final String PLATFORM = "sluice-platform";

    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Rendered rendered;
    private final Path repo;
    private final List<PodSpecs> pods;
    private final List<String> problems = new ArrayList<>();

    private CrossChecks(Rendered rendered, Path repo) {
        this.rendered = rendered;
        this.repo = repo;
        this.pods = PodSpecs.of(rendered);
    }

    /** All cross-checks of {@code rendered}; {@code repo} is the repository root (examples, gateway defaults). */
    static List<String> check(Rendered rendered, Path repo, String namespace) {
        CrossChecks checks = new CrossChecks(rendered, repo);
        checks.namespaces(namespace);
        checks.podReferences();
        checks.resourcesAndImages();
        checks.selectors();
        checks.scrapeJobs();
        checks.networkPolicies();
        checks.gateway();
        checks.flinkDeployments();
        checks.replayJobs();
        checks.javaOpens();
        return List.copyOf(new LinkedHashSet<>(checks.problems));
    }

    private void problem(String owner, String message) {
        problems.add(owner + ": " + message);
    }

    // ---- every object

    private void namespaces(String namespace) {
        for (JsonNode object : rendered.objects()) {
            if (!namespace.equals(Rendered.namespaceOf(object))) {
                problem(Rendered.id(object), "namespace is " + Rendered.namespaceOf(object) + ", expected " + namespace);
            }
        }
    }

    private void podReferences() {
        for (PodSpecs pod : pods) {
            Set<String> volumes = new TreeSet<>();
            for (Volume volume : list(pod.spec().getVolumes())) {
                volumes.add(volume.getName());
                if (volume.getConfigMap() != null && !isTrue(volume.getConfigMap().getOptional())) {
                    requireObject(pod.owner(), "ConfigMap", volume.getConfigMap().getName(), "volume " + volume.getName());
                }
                if (volume.getSecret() != null && !isTrue(volume.getSecret().getOptional())) {
                    requireObject(pod.owner(), "Secret", volume.getSecret().getSecretName(), "volume " + volume.getName());
                }
                if (volume.getProjected() != null) {
                    for (VolumeProjection source : list(volume.getProjected().getSources())) {
                        if (source.getConfigMap() != null && !isTrue(source.getConfigMap().getOptional())) {
                            requireObject(pod.owner(), "ConfigMap", source.getConfigMap().getName(), "volume " + volume.getName());
                        }
                        if (source.getSecret() != null && !isTrue(source.getSecret().getOptional())) {
                            requireObject(pod.owner(), "Secret", source.getSecret().getName(), "volume " + volume.getName());
                        }
                    }
                }
            }
            for (Container container : containers(pod)) {
                String where = pod.owner() + " container " + container.getName();
                for (VolumeMount mount : list(container.getVolumeMounts())) {
                    if (!volumes.contains(mount.getName())) {
                        problem(where, "mounts volume " + mount.getName() + ", which the pod does not declare");
                    }
                }
                for (EnvVar env : list(container.getEnv())) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    ConfigMapKeySelector cm = env.getValueFrom().getConfigMapKeyRef();
                    if (cm != null && !isTrue(cm.getOptional())) {
                        requireKey(where, "ConfigMap", cm.getName(), cm.getKey(), "env " + env.getName());
                    }
                    SecretKeySelector secret = env.getValueFrom().getSecretKeyRef();
                    if (secret != null && !isTrue(secret.getOptional())) {
                        requireKey(where, "Secret", secret.getName(), secret.getKey(), "env " + env.getName());
                    }
                }
                for (EnvFromSource from : list(container.getEnvFrom())) {
                    if (from.getConfigMapRef() != null && !isTrue(from.getConfigMapRef().getOptional())) {
                        requireObject(where, "ConfigMap", from.getConfigMapRef().getName(), "envFrom");
                    }
                    if (from.getSecretRef() != null && !isTrue(from.getSecretRef().getOptional())) {
                        requireObject(where, "Secret", from.getSecretRef().getName(), "envFrom");
                    }
                }
            }
            String account = pod.spec().getServiceAccountName();
            if (account != null && !account.equals("default")) {
                requireObject(pod.owner(), "ServiceAccount", account, "serviceAccountName");
            }
        }
        for (JsonNode flink : rendered.ofKind("FlinkDeployment")) {
            requireObject(Rendered.id(flink), "ServiceAccount", flink.path("spec").path("serviceAccount").asText(), "spec.serviceAccount");
        }
        for (JsonNode binding : rendered.ofKind("RoleBinding")) {
            requireObject(Rendered.id(binding), binding.path("roleRef").path("kind").asText(), binding.path("roleRef").path("name").asText(), "roleRef");
            for (JsonNode subject : binding.path("subjects")) {
                if (subject.path("kind").asText().equals("ServiceAccount")) {
                    requireObject(Rendered.id(binding), "ServiceAccount", subject.path("name").asText(), "subjects");
                }
            }
        }
        for (JsonNode hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            requireObject(Rendered.id(hpa), target.path("kind").asText(), target.path("name").asText(), "scaleTargetRef");
        }
    }

    private void requireObject(String owner, String kind, String name, String via) {
        if (rendered.find(kind, name).isEmpty()) {
            problem(owner, via + " references " + kind + " " + name + ", which is not in " + rendered.name());
        }
    }

    private void requireKey(String owner, String kind, String name, String key, String via) {
        Optional<ObjectNode> object = rendered.find(kind, name);
        if (object.isEmpty()) {
            requireObject(owner, kind, name, via);
        } else if (!object.get().path("data").has(key) && !object.get().path("stringData").has(key)) {
            problem(owner, via + " references key " + key + " of " + kind + " " + name + ", which has no such key");
        }
    }

    private void resourcesAndImages() {
        for (PodSpecs pod : pods) {
            for (Container container : containers(pod)) {
                String where = pod.owner() + " container " + container.getName();
                boolean flinkMain = pod.owner().startsWith("FlinkDeployment/");
                if (!flinkMain) {
                    ResourceRequirements resources = container.getResources();
                    Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
                    Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
                    if (requests == null || !requests.containsKey("cpu") || !requests.containsKey("memory")) {
                        problem(where, "has no cpu and memory requests");
                    }
                    if (limits == null || !limits.containsKey("memory")) {
                        problem(where, "has no memory limit");
                    }
                    checkImage(where, container.getImage());
                }
            }
        }
        for (JsonNode flink : rendered.ofKind("FlinkDeployment")) {
            String id = Rendered.id(flink);
            for (String role : List.of("jobManager", "taskManager")) {
                JsonNode resource = flink.path("spec").path(role).path("resource");
                if (!resource.has("cpu") || !resource.has("memory")) {
                    problem(id, "spec." + role + ".resource needs cpu and memory");
                }
            }
            checkImage(id, flink.path("spec").path("image").asText(null));
        }
    }

    private void checkImage(String where, String image) {
        if (image == null || image.isBlank()) {
            problem(where, "has no image");
            return;
        }
        if (image.contains("@sha256:")) {
            return;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon < slash + 1) {
            problem(where, "image " + image + " is not pinned: give it a version tag or a digest");
        } else if (image.substring(colon + 1).equals("latest")) {
            problem(where, "image " + image + " is not pinned: 'latest' moves; give it a version tag or a digest");
        }
    }

    // ---- selectors and network policies

    private void selectors() {
        for (JsonNode service : rendered.ofKind("Service")) {
            Map<String, String> selector = stringMap(service.path("spec").path("selector"));
            if (pods.stream().noneMatch(p -> matches(selector, p.labels()))) {
                problem(Rendered.id(service), "selector " + selector + " matches no pod in " + rendered.name());
            }
        }
        for (JsonNode pdb : rendered.ofKind("PodDisruptionBudget")) {
            selectorMatchesPods(pdb, pdb.path("spec").path("selector"));
        }
        for (JsonNode monitor : rendered.ofKind("PodMonitor")) {
            selectorMatchesPods(monitor, monitor.path("spec").path("selector"));
            for (JsonNode endpoint : monitor.path("spec").path("podMetricsEndpoints")) {
                String port = endpoint.path("port").asText();
                boolean declared = pods.stream().filter(p -> matches(selector(monitor.path("spec").path("selector")), p.labels()))
                        .flatMap(p -> containers(p).stream()).flatMap(c -> list(c.getPorts()).stream())
                        .anyMatch(p -> port.equals(p.getName()));
                if (!declared) {
                    problem(Rendered.id(monitor), "scrapes port " + port + ", which no selected pod's container names");
                }
            }
        }
        for (JsonNode monitor : rendered.ofKind("ServiceMonitor")) {
            Map<String, String> selector = selector(monitor.path("spec").path("selector"));
            List<JsonNode> services = rendered.ofKind("Service").stream()
                    .filter(s -> matches(selector, stringMap(s.path("metadata").path("labels")))).map(s -> (JsonNode) s).toList();
            if (services.isEmpty()) {
                problem(Rendered.id(monitor), "selector " + selector + " matches no Service");
            }
            for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
                String port = endpoint.path("port").asText();
                for (JsonNode service : services) {
                    boolean named = false;
                    for (JsonNode p : service.path("spec").path("ports")) {
                        named |= port.equals(p.path("name").asText());
                    }
                    if (!named) {
                        problem(Rendered.id(monitor), "scrapes port " + port + ", which " + Rendered.id(service) + " does not name");
                    }
                }
                if (Rendered.nameOf(monitor).equals(GATEWAY) && !METRICS_PATH.equals(endpoint.path("path").asText())) {
                    problem(Rendered.id(monitor), "scrapes " + endpoint.path("path").asText() + "; the gateway serves metrics on " + METRICS_PATH);
                }
            }
        }
    }

    /**
     * Monitors label their targets with the job names of observability/prometheus/prometheus.yml: the rules
     * and dashboards generated from observability/ select on them (e.g. {@code up{job=~"sluice-gateway|..."}}).
     */
    private void scrapeJobs() {
        Path config = repo.resolve("observability/prometheus/prometheus.yml");
        if (!java.nio.file.Files.exists(config)) {
            return;
        }
        Set<String> jobs = new TreeSet<>();
        try {
            Rendered.YAML.readTree(config.toFile()).path("scrape_configs").forEach(c -> jobs.add(c.path("job_name").asText()));
        } catch (IOException e) {
            problem(config.toString(), "is not valid YAML: " + e.getMessage());
            return;
        }
        List<JsonNode> monitors = new ArrayList<>(rendered.ofKind("ServiceMonitor"));
        monitors.addAll(rendered.ofKind("PodMonitor"));
        for (JsonNode monitor : monitors) {
            JsonNode endpoints = monitor.path("spec").has("endpoints") ? monitor.path("spec").path("endpoints")
                    : monitor.path("spec").path("podMetricsEndpoints");
            for (JsonNode endpoint : endpoints) {
                String job = null;
                for (JsonNode relabel : endpoint.path("relabelings")) {
                    if ("job".equals(relabel.path("targetLabel").asText())) {
                        job = relabel.path("replacement").asText(null);
                    }
                }
                if (job == null || !jobs.contains(job)) {
                    problem(Rendered.id(monitor), "labels its targets job=" + job + "; observability/prometheus/prometheus.yml's rules expect one of " + jobs);
                }
            }
        }
    }

    private void selectorMatchesPods(JsonNode owner, JsonNode selectorNode) {
        Map<String, String> selector = selector(selectorNode);
        if (pods.stream().noneMatch(p -> matches(selector, p.labels()))) {
            problem(Rendered.id(owner), "selector " + selector + " matches no pod in " + rendered.name());
        }
    }

    /**
     * Only the gateway may be reachable from outside the namespace: a policy rule that admits any source (no
     * {@code from}, or an empty namespace selector) must select gateway pods only, and every pod must be covered
     * by some policy (otherwise Kubernetes admits everything to it).
     */
    private void networkPolicies() {
        List<JsonNode> policies = new ArrayList<>(rendered.ofKind("NetworkPolicy"));
        if (policies.isEmpty() && !pods.isEmpty() && !rendered.ofKind("Deployment").isEmpty()) {
            problem(rendered.name(), "has no NetworkPolicy: every pod is reachable from everywhere");
        }
        for (JsonNode policy : policies) {
            Map<String, String> selector = selector(policy.path("spec").path("podSelector"));
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                boolean fromAnywhere = !rule.has("from") || rule.path("from").isEmpty();
                for (JsonNode peer : rule.path("from")) {
                    fromAnywhere |= peer.has("namespaceSelector") && peer.path("namespaceSelector").isEmpty();
                    fromAnywhere |= peer.has("ipBlock");
                }
                if (!fromAnywhere) {
                    continue;
                }
                for (PodSpecs pod : pods) {
                    if (matches(selector, pod.labels()) && !pod.owner().equals("Deployment/" + GATEWAY)) {
                        problem(Rendered.id(policy), "admits traffic from outside the namespace to " + pod.owner() + "; only the gateway may be reachable from outside");
                    }
                }
            }
        }
        if (!policies.isEmpty()) {
            for (PodSpecs pod : pods) {
                boolean covered = policies.stream().anyMatch(p -> matches(selector(p.path("spec").path("podSelector")), pod.labels()));
                if (!covered) {
                    problem(pod.owner(), "no NetworkPolicy selects it: reachable from everywhere");
                }
            }
        }
    }

    // ---- the gateway

    private void gateway() {
        Optional<PodSpecs> gateway = pods.stream().filter(p -> p.owner().equals("Deployment/" + GATEWAY)).findFirst();
        if (gateway.isEmpty()) {
            return;
        }
        PodSpecs pod = gateway.get();
        Container container = containers(pod).get(0);
        String where = pod.owner() + " container " + container.getName();
        Set<String> ports = new TreeSet<>();
        list(container.getPorts()).forEach(p -> ports.add(p.getName()));
        checkProbe(where, "readinessProbe", container.getReadinessProbe(), READY_PATH, ports);
        checkProbe(where, "livenessProbe", container.getLivenessProbe(), LIVE_PATH, ports);

        Map<String, Object> config = gatewayConfig(pod, container, where);
        GatewaySettings settings = GatewaySettings.of(config, GatewaySettings.packagedDefaults(repo));
        Set<String> topics = topicNames();
        if (!topics.isEmpty()) {
            for (Map.Entry<String, String> source : settings.sourceTopics().entrySet()) {
                if (!topics.contains(source.getValue())) {
                    problem(where, "source " + source.getKey() + " writes to topic " + source.getValue() + ", which has no KafkaTopic");
                }
            }
            if (!topics.contains(settings.dlqTopic())) {
                problem(where, "DLQ topic " + settings.dlqTopic() + " has no KafkaTopic");
            }
        }
        if (settings.sourceTopics().isEmpty()) {
            problem(where, "its configuration declares no source (sluice.gateway.sources)");
        }
        if (settings.apiKeys().isEmpty()) {
            problem(where, "its configuration declares no API key (sluice.gateway.api-keys)");
        }
        for (GatewaySettings.ApiKey key : settings.apiKeys()) {
            for (String source : key.sources()) {
                if (!settings.sourceTopics().containsKey(source)) {
                    problem(where, "API key " + key.name() + " is bound to source " + source + ", which the gateway does not declare");
                }
            }
            if (!SHA256_HEX.matcher(key.sha256()).matches() && !key.sha256().startsWith("REPLACE-")) {
                problem(where, "API key " + key.name() + ": sha256 must be 64 lower-case hex characters (or a REPLACE- placeholder)");
            }
        }
        // Graceful shutdown: the preStop pause plus Quarkus' shutdown wait must fit in the grace period, and that
        // wait must outlast the ack timeout, or requests accepted before SIGTERM are cut off.
        long grace = pod.spec().getTerminationGracePeriodSeconds() == null ? 30 : pod.spec().getTerminationGracePeriodSeconds();
        long preStop = container.getLifecycle() != null && container.getLifecycle().getPreStop() != null
                && container.getLifecycle().getPreStop().getSleep() != null
                ? container.getLifecycle().getPreStop().getSleep().getSeconds() : 0;
        Duration shutdown = settings.shutdownTimeout();
        if (shutdown.compareTo(settings.ackTimeout()) <= 0) {
            problem(where, "quarkus.shutdown.timeout (" + shutdown + ") must be longer than sluice.gateway.kafka.ack-timeout (" + settings.ackTimeout() + ")");
        }
        if (preStop + shutdown.toSeconds() >= grace) {
            problem(where, "terminationGracePeriodSeconds (" + grace + ") must exceed the preStop pause (" + preStop
                    + " s) plus quarkus.shutdown.timeout (" + shutdown.toSeconds() + " s)");
        }
    }

    private void checkProbe(String where, String name, Probe probe, String path, Set<String> ports) {
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null) {
            problem(where, "has no HTTP " + name + " (the gateway serves " + path + ")");
            return;
        }
        if (!path.equals(get.getPath())) {
            problem(where, name + " asks " + get.getPath() + "; the gateway serves " + path);
        }
        String port = get.getPort() == null ? null : get.getPort().getStrVal();
        if (port != null && !ports.contains(port)) {
            problem(where, name + " names port " + port + ", which the container does not declare");
        }
    }

    /** The files QUARKUS_CONFIG_LOCATIONS names, read from the ConfigMaps and Secrets mounted at their paths. */
    private Map<String, Object> gatewayConfig(PodSpecs pod, Container container, String where) {
        Map<String, Object> merged = new HashMap<>();
        String locations = list(container.getEnv()).stream().filter(e -> e.getName().equals("QUARKUS_CONFIG_LOCATIONS"))
                .map(EnvVar::getValue).findFirst().orElse(null);
        if (locations == null) {
            problem(where, "has no QUARKUS_CONFIG_LOCATIONS: its sources and API keys would come from nowhere");
            return merged;
        }
        for (String location : locations.split(",")) {
            Optional<String> content = mountedFile(pod, container, location.strip());
            if (content.isEmpty()) {
                problem(where, "QUARKUS_CONFIG_LOCATIONS names " + location + ", which no mounted ConfigMap or Secret holds");
                continue;
            }
            try {
                GatewaySettings.deepMerge(merged, Rendered.YAML.readValue(content.get(), Map.class));
            } catch (IOException e) {
                problem(where, location + " is not valid YAML: " + e.getMessage());
            }
        }
        return merged;
    }

    /** The content of {@code path} inside {@code container}, from the ConfigMap/Secret volume mounted over it. */
    private Optional<String> mountedFile(PodSpecs pod, Container container, String path) {
        for (VolumeMount mount : list(container.getVolumeMounts())) {
            String prefix = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (!path.startsWith(prefix)) {
                continue;
            }
            String key = path.substring(prefix.length());
            for (Volume volume : list(pod.spec().getVolumes())) {
                if (!volume.getName().equals(mount.getName())) {
                    continue;
                }
                List<String[]> sources = new ArrayList<>();
                if (volume.getConfigMap() != null) {
                    sources.add(new String[] {"ConfigMap", volume.getConfigMap().getName()});
                }
                if (volume.getSecret() != null) {
                    sources.add(new String[] {"Secret", volume.getSecret().getSecretName()});
                }
                if (volume.getProjected() != null) {
                    for (VolumeProjection p : list(volume.getProjected().getSources())) {
                        if (p.getConfigMap() != null) {
                            sources.add(new String[] {"ConfigMap", p.getConfigMap().getName()});
                        }
                        if (p.getSecret() != null) {
                            sources.add(new String[] {"Secret", p.getSecret().getName()});
                        }
                    }
                }
                for (String[] source : sources) {
                    Optional<String> value = dataValue(source[0], source[1], key);
                    if (value.isPresent()) {
                        return value;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> dataValue(String kind, String name, String key) {
        return rendered.find(kind, name).map(o -> o.path("data").path(key)).filter(JsonNode::isTextual)
                .map(v -> kind.equals("Secret") ? new String(Base64.getMimeDecoder().decode(v.asText()), StandardCharsets.UTF_8) : v.asText());
    }

    private Set<String> topicNames() {
        Set<String> topics = new TreeSet<>();
        for (JsonNode topic : rendered.ofKind("KafkaTopic")) {
            topics.add(topic.path("spec").path("topicName").asText(Rendered.nameOf(topic)));
        }
        return topics;
    }

    // ---- FlinkDeployments

    private void flinkDeployments() {
        List<ObjectNode> deployments = rendered.ofKind("FlinkDeployment");
        if (deployments.isEmpty()) {
            return;
        }
        Map<String, String> platform = stringMap(rendered.findGenerated("ConfigMap", PLATFORM).map(c -> c.path("data")).orElse(null));
        if (platform.isEmpty()) {
            problem(rendered.name(), "has no ConfigMap " + PLATFORM + " (Kafka, lake, metastore and Flink state settings)");
        }
        Map<String, String> pipelineOf = new HashMap<>();
        Set<String> topics = topicNames();
        for (JsonNode flink : deployments) {
            String id = Rendered.id(flink);
            JsonNode spec = flink.path("spec");
            JsonNode conf = spec.path("flinkConfiguration");
            List<String> args = new ArrayList<>();
            spec.path("job").path("args").forEach(a -> args.add(a.asText()));

            if (!"last-state".equals(spec.path("job").path("upgradeMode").asText())) {
                problem(id, "spec.job.upgradeMode must be last-state (upgrades restart from the latest checkpoint)");
            }
            // What the operator's validator refuses: stateful upgrades without checkpoint and savepoint directories.
            for (String key : List.of("state.checkpoints.dir", "state.savepoints.dir")) {
                if (!conf.has(key)) {
                    problem(id, "flinkConfiguration needs " + key + " for upgradeMode last-state (the operator refuses the resource without it)");
                }
            }
            if (!"kubernetes".equals(conf.path("high-availability.type").asText()) || !conf.has("high-availability.storageDir")) {
                problem(id, "last-state upgrades need Kubernetes HA: high-availability.type: kubernetes and high-availability.storageDir");
            }
            if (!spec.path("job").path("jarURI").asText().startsWith("local:///")) {
                problem(id, "spec.job.jarURI must be a local:/// path inside the image (application mode)");
            }
            String promPort = conf.path("metrics.reporter.prom.port").asText(null);
            if (promPort == null || !conf.path("metrics.reporter.prom.factory.class").asText().endsWith("PrometheusReporterFactory")) {
                problem(id, "has no Prometheus reporter (metrics.reporter.prom.factory.class and .port)");
            }

            PodSpecs pod = pods.stream().filter(p -> p.owner().startsWith(id + " ")).findFirst().orElse(null);
            Container main = pod == null ? null : containers(pod).stream()
                    .filter(c -> PodSpecs.FLINK_MAIN_CONTAINER.equals(c.getName())).findFirst().orElse(null);
            if (main == null) {
                problem(id, "spec.podTemplate has no container " + PodSpecs.FLINK_MAIN_CONTAINER);
                continue;
            }
            if (promPort != null && list(main.getPorts()).stream()
                    .noneMatch(p -> "metrics".equals(p.getName()) && String.valueOf(p.getContainerPort()).equals(promPort))) {
                problem(id, "the Prometheus reporter listens on " + promPort + ", but " + PodSpecs.FLINK_MAIN_CONTAINER + " has no port 'metrics' with that number");
            }

            String pipelinePath = valueAfter(args, "--pipeline");
            if (pipelinePath == null) {
                problem(id, "spec.job.args has no --pipeline");
            } else {
                Optional<String> yaml = mountedFile(pod, main, pipelinePath);
                if (yaml.isEmpty()) {
                    problem(id, "--pipeline " + pipelinePath + " is not a file of a ConfigMap mounted in " + PodSpecs.FLINK_MAIN_CONTAINER);
                } else {
                    String file = Path.of(pipelinePath).getFileName().toString();
                    String previous = pipelineOf.put(file, id);
                    if (previous != null) {
                        problem(id, "runs pipeline " + file + " like " + previous);
                    }
                    try {
                        PipelineConfig config = PipelineConfigLoader.parse(yaml.get(), id + " " + pipelinePath);
                        if (!topics.isEmpty() && !topics.contains(config.source().topic())) {
                            problem(id, "pipeline " + file + " reads topic " + config.source().topic() + ", which has no KafkaTopic");
                        }
                        config.tables().stream().flatMap(t -> t.sinks().stream())
                                .filter(KafkaSinkConfig.class::isInstance).map(k -> ((KafkaSinkConfig) k).topic())
                                .filter(t -> !topics.isEmpty() && !topics.contains(t))
                                .forEach(t -> problem(id, "pipeline " + file + " writes topic " + t + ", which has no KafkaTopic"));
                    } catch (RuntimeException e) {
                        problem(id, "pipeline " + pipelinePath + " does not load: " + e.getMessage());
                    }
                }
            }
            String parallelism = valueAfter(args, "--parallelism");
            if (parallelism == null || !parallelism.equals(spec.path("job").path("parallelism").asText())) {
                problem(id, "--parallelism " + parallelism + " must equal spec.job.parallelism " + spec.path("job").path("parallelism").asText()
                        + " (the job sets its own parallelism from the argument)");
            }
            requireArg(id, args, "--bootstrap-servers", platform.get("kafka-bootstrap-servers"));
            requireArg(id, args, "--lake-root", platform.get("lake-root"));
            requireArg(id, args, "--metastore-uri", platform.get("metastore-uri"));
            String bucket = "s3://" + platform.get("flink-state-bucket") + "/";
            String checkpoints = valueAfter(args, "--checkpoint-dir");
            if (checkpoints != null && !checkpoints.equals(conf.path("state.checkpoints.dir").asText())) {
                problem(id, "--checkpoint-dir " + checkpoints + " differs from state.checkpoints.dir " + conf.path("state.checkpoints.dir").asText(null));
            }
            for (String[] dir : new String[][] {{"--checkpoint-dir", checkpoints},
                    {"state.checkpoints.dir", conf.path("state.checkpoints.dir").asText(null)},
                    {"high-availability.storageDir", conf.path("high-availability.storageDir").asText(null)},
                    {"state.savepoints.dir", conf.path("state.savepoints.dir").asText(null)}}) {
                if (dir[1] == null || !dir[1].startsWith(bucket)) {
                    problem(id, dir[0] + " is " + dir[1] + ", expected under " + bucket + " (flink-state-bucket of " + PLATFORM + ")");
                }
            }
            if (platform.containsKey("s3-endpoint")) {
                requireArg(id, args, "--s3-endpoint", platform.get("s3-endpoint"));
                if (!platform.get("s3-endpoint").equals(conf.path("s3.endpoint").asText())) {
                    problem(id, "flinkConfiguration s3.endpoint is " + conf.path("s3.endpoint").asText(null) + ", expected " + platform.get("s3-endpoint"));
                }
            }
        }
        for (String pipeline : Pipelines.files(repo)) {
            if (!pipelineOf.containsKey(pipeline)) {
                problem(rendered.name(), "example pipeline " + pipeline + " has no FlinkDeployment (add k8s/base/flink/" + pipeline
                        + " and its ConfigMap in examples/kustomization.yaml)");
            }
        }
    }

    private void requireArg(String id, List<String> args, String flag, String expected) {
        String actual = valueAfter(args, flag);
        if (expected == null || !expected.equals(actual)) {
            problem(id, flag + " is " + actual + ", expected " + expected + " (from ConfigMap " + PLATFORM + ")");
        }
    }

    /** The value of {@code flag} given as {@code flag=value} or as {@code flag value}. */
    static String valueAfter(List<String> args, String flag) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(flag + "=")) {
                return args.get(i).substring(flag.length() + 1);
            }
            if (args.get(i).equals(flag) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
        }
        return null;
    }

    // ---- the replay Job

    /**
     * The replay Job's {@code $(VAR)} arguments all resolve, and the pipeline and table they name exist in the
     * pipelines it mounts.
     */
    private void replayJobs() {
        for (PodSpecs pod : pods) {
            if (!pod.owner().startsWith("Job/")) {
                continue;
            }
            for (Container container : containers(pod)) {
                String where = pod.owner() + " container " + container.getName();
                Map<String, String> env = new HashMap<>();
                for (EnvVar var : list(container.getEnv())) {
                    if (var.getValue() != null) {
                        env.put(var.getName(), var.getValue());
                    } else if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                        ConfigMapKeySelector ref = var.getValueFrom().getConfigMapKeyRef();
                        dataValue("ConfigMap", ref.getName(), ref.getKey()).ifPresent(v -> env.put(var.getName(), v));
                    } else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                        SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
                        dataValue("Secret", ref.getName(), ref.getKey()).ifPresent(v -> env.put(var.getName(), v));
                    }
                }
                for (EnvFromSource from : list(container.getEnvFrom())) {
                    if (from.getConfigMapRef() != null) {
                        rendered.find("ConfigMap", from.getConfigMapRef().getName())
                                .ifPresent(c -> env.putAll(stringMap(c.path("data"))));
                    }
                }
                List<String> args = new ArrayList<>();
                for (String arg : list(container.getArgs())) {
                    Matcher m = VAR.matcher(arg);
                    StringBuilder expanded = new StringBuilder();
                    while (m.find()) {
                        String value = env.get(m.group(1));
                        if (value == null) {
                            problem(where, "argument " + arg + " uses $(" + m.group(1) + "), which the container's environment does not define");
                            value = m.group();
                        }
                        m.appendReplacement(expanded, Matcher.quoteReplacement(value));
                    }
                    m.appendTail(expanded);
                    args.add(expanded.toString());
                }
                String pipelinePath = valueAfter(args, "--pipeline");
                if (pipelinePath == null) {
                    continue;
                }
                Optional<String> yaml = mountedFile(pod, container, pipelinePath);
                if (yaml.isEmpty()) {
                    problem(where, "--pipeline " + pipelinePath + " is not a file of a ConfigMap it mounts");
                    continue;
                }
                PipelineConfig config = PipelineConfigLoader.parse(yaml.get(), where + " " + pipelinePath);
                String table = valueAfter(args, "--table");
                if (config.tables().stream().map(TableConfig::name).noneMatch(n -> n.equals(table))) {
                    problem(where, "--table " + table + " is not a table of " + pipelinePath);
                }
            }
        }
    }

    // ---- Java 17 flags

    /**
     * Flink on Java 17 fails on the first record (Kryo) and on Hudi's read path without the root pom's
     * {@code sluice.jvm.opens}: every FlinkDeployment passes them in {@code env.java.opts.all}, every Job (the
     * replay runs Flink in its own JVM) in {@code JAVA_TOOL_OPTIONS}.
     */
    private void javaOpens() {
        List<String> opens = jvmOpens(repo);
        for (JsonNode flink : rendered.ofKind("FlinkDeployment")) {
            missingFlags(Rendered.id(flink) + " flinkConfiguration env.java.opts.all",
                    flink.path("spec").path("flinkConfiguration").path("env.java.opts.all").asText(""), opens);
        }
        for (PodSpecs pod : pods) {
            if (!pod.owner().startsWith("Job/")) {
                continue;
            }
            for (Container container : containers(pod)) {
                String options = list(container.getEnv()).stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                        .map(EnvVar::getValue).findFirst().orElse("");
                missingFlags(pod.owner() + " container " + container.getName() + " JAVA_TOOL_OPTIONS", options, opens);
            }
        }
    }

    private void missingFlags(String where, String options, List<String> required) {
        List<String> given = List.of(options.trim().split("\\s+"));
        List<String> missing = required.stream().filter(flag -> !given.contains(flag)).toList();
        if (!missing.isEmpty()) {
            problems.add(where + " lacks Java 17 flags of the root pom's sluice.jvm.opens: " + String.join(" ", missing));
        }
    }

    /** The root pom's {@code sluice.jvm.opens}: the one list of Java 17 flags for tests, launcher and pods. */
    static List<String> jvmOpens(Path repo) {
        try {
            Matcher m = Pattern.compile("<sluice.jvm.opens>([^<]*)</sluice.jvm.opens>")
                    .matcher(java.nio.file.Files.readString(repo.resolve("pom.xml"), StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IllegalStateException("pom.xml has no sluice.jvm.opens property");
            }
            return List.of(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- helpers

    private static List<Container> containers(PodSpecs pod) {
        List<Container> all = new ArrayList<>(list(pod.spec().getInitContainers()));
        all.addAll(list(pod.spec().getContainers()));
        return all;
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        }
        return map;
    }

    /** matchLabels of a LabelSelector (these manifests use no matchExpressions: one is reported as unsupported). */
    private Map<String, String> selector(JsonNode selectorNode) {
        if (selectorNode.has("matchExpressions")) {
            problems.add("selector " + selectorNode + ": matchExpressions are not checked here; use matchLabels");
        }
        return selectorNode.has("matchLabels") ? stringMap(selectorNode.path("matchLabels")) : stringMap(null);
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
