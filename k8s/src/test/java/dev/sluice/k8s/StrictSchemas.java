package dev.sluice.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every rendered object against the schema of its kind, strictly: an unknown field, a wrong type or a
 * value outside an enum is a problem, never silently dropped.
 *
 * <ul>
 *   <li>Kubernetes kinds and the Prometheus Operator's: fabric8's typed model (kubernetes-model and
 *       openshift-model-monitoring 6.13.4), scalars not coerced; fabric8 keeps unknown fields in
 *       {@code additionalProperties} instead of failing, so every parsed object is walked and any such field
 *       is reported with its path.</li>
 *   <li>Strimzi's KafkaTopic: Strimzi's typed model ({@code io.strimzi:api}), walked the same way, and the
 *       {@code openAPIV3Schema} of the CRD Strimzi publishes, generated from those classes by Strimzi's own
 *       generator ({@link CrdSchemas#kafkaTopic()}), made strict like the FlinkDeployment's.</li>
 *   <li>FlinkDeployment: the {@code openAPIV3Schema} of the CRD shipped in {@code flink-kubernetes-operator-api},
 *       with {@code additionalProperties: false} added to every object schema that lists its properties (the API
 *       server prunes unknown fields silently; here they fail). Its {@code podTemplate} is also parsed as a
 *       fabric8 Pod.</li>
 * </ul>
 * A kind with no schema here is itself a problem: an object nobody checks should not slip through.
 */
final class StrictSchemas {
    /** apiVersion and kind → the typed model that must accept it. */
    private static final Map<String, Class<?>> TYPED = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class));

    static final String FLINK_DEPLOYMENT = "flink.apache.org/v1beta1/FlinkDeployment";
    static final String KAFKA_TOPIC = "kafka.strimzi.io/v1beta2/KafkaTopic";

    /** Scalars are not coerced ("2" is not an int): what Kubernetes' API server would refuse fails here too. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final JsonSchema flinkDeploymentSchema = CrdSchemas.flinkDeployment();
    private final JsonSchema kafkaTopicSchema = CrdSchemas.kafkaTopic();

    /** Problems of one object, each naming the object and the path of the offending field. */
    List<String> check(ObjectNode object) {
        String type = object.path("apiVersion").asText() + "/" + Rendered.kindOf(object);
        if (type.equals(FLINK_DEPLOYMENT)) {
            return checkFlinkDeployment(object);
        }
        Class<?> model = TYPED.get(type);
        if (model == null) {
            return List.of(Rendered.id(object) + ": no schema for " + type
                    + " (add its typed model or CRD schema to StrictSchemas)");
        }
        List<String> problems = new ArrayList<>(parse(Rendered.id(object), object, model));
        if (type.equals(KAFKA_TOPIC)) {
            problems.addAll(validate(kafkaTopicSchema, object));
        }
        return problems;
    }

    /** Parses {@code node} as {@code model} and reports what the model did not know. */
    static List<String> parse(String id, JsonNode node, Class<?> model) {
        Object parsed;
        try {
            parsed = MAPPER.treeToValue(node, model);
        } catch (JsonProcessingException e) {
            return List.of(id + ": does not parse as " + model.getSimpleName() + ": " + e.getOriginalMessage() + " at " + path(e));
        } catch (IllegalArgumentException e) {
            return List.of(id + ": does not parse as " + model.getSimpleName() + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        walk(parsed, "", problems, new IdentityHashMap<>());
        return problems.stream().map(p -> id + ": unknown field " + p).toList();
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                path.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            return path.length() == 0 ? "(root)" : path.substring(path.charAt(0) == '.' ? 1 : 0);
        }
        return "(unknown path)";
    }

    /** Reports every non-empty {@code additionalProperties} map of the fabric8/Strimzi object graph. */
    private static void walk(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        String className = value.getClass().getName();
        if (!className.startsWith("io.fabric8.") && !className.startsWith("io.strimzi.")) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue = read(field, value);
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().stream().map(String::valueOf).sorted()
                                .forEach(k -> problems.add((path.isEmpty() ? "" : path.substring(1) + ".") + k));
                    }
                    continue;
                }
                JsonProperty json = field.getAnnotation(JsonProperty.class);
                String name = json != null && !json.value().isEmpty() ? json.value() : field.getName();
                walk(fieldValue, path + "." + name, problems, seen);
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> validate(JsonSchema schema, ObjectNode object) {
        Set<ValidationMessage> messages = schema.validate(object);
        return messages.stream().map(ValidationMessage::getMessage).sorted(Comparator.naturalOrder())
                .map(m -> Rendered.id(object) + ": " + m).toList();
    }

    private List<String> checkFlinkDeployment(ObjectNode object) {
        String id = Rendered.id(object);
        List<String> problems = new ArrayList<>(validate(flinkDeploymentSchema, object));
        problems.addAll(parse(id, object.path("metadata"), ObjectMeta.class));
        JsonNode podTemplate = object.path("spec").path("podTemplate");
        if (!podTemplate.isMissingNode()) {
            ObjectNode pod = podTemplate.deepCopy();
            pod.put("apiVersion", "v1");
            pod.put("kind", "Pod");
            problems.addAll(parse(id + " spec.podTemplate", pod, Pod.class));
        }
        return problems;
    }
}
