package dev.sluice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pods an object will run, with the labels they will carry: what references and selectors are checked on. */
record PodSpecs(String owner, Map<String, String> labels, PodSpec spec) {

    /** The container a FlinkDeployment's podTemplate configures (the operator merges it into JM and TM pods). */
    static final String FLINK_MAIN_CONTAINER = "flink-main-container";

    static List<PodSpecs> of(Rendered rendered) {
        List<PodSpecs> pods = new ArrayList<>();
        for (JsonNode object : rendered.objects()) {
            String id = Rendered.id(object);
            switch (Rendered.kindOf(object)) {
                case "Deployment" -> read(object, Deployment.class).ifPresent(d ->
                        pods.add(new PodSpecs(id, labels(d.getSpec().getTemplate().getMetadata().getLabels()), d.getSpec().getTemplate().getSpec())));
                case "Job" -> read(object, Job.class).ifPresent(j ->
                        pods.add(new PodSpecs(id, labels(j.getSpec().getTemplate().getMetadata().getLabels()), j.getSpec().getTemplate().getSpec())));
                case "FlinkDeployment" -> {
                    JsonNode template = object.path("spec").path("podTemplate");
                    PodSpec spec = read(template.path("spec"), PodSpec.class).orElse(new PodSpec());
                    Map<String, String> base = new HashMap<>();
                    template.path("metadata").path("labels").fields().forEachRemaining(e -> base.put(e.getKey(), e.getValue().asText()));
                    // Labels Flink's native Kubernetes mode puts on its pods.
                    base.put("app", Rendered.nameOf(object));
                    base.put("type", "flink-native-kubernetes");
                    for (String component : List.of("jobmanager", "taskmanager")) {
                        Map<String, String> podLabels = new HashMap<>(base);
                        podLabels.put("component", component);
                        pods.add(new PodSpecs(id + " (" + component + ")", podLabels, spec));
                    }
                }
                default -> {
                }
            }
        }
        return pods;
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    static <T> Optional<T> read(JsonNode node, Class<T> type) {
        try {
            return Optional.of(StrictSchemas.MAPPER.treeToValue(node, type));
        } catch (IOException e) {
            // Reported by StrictSchemas; the cross-checks look at what parses.
            return Optional.empty();
        }
    }
}
