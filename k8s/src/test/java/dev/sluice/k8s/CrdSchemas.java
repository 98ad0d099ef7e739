package dev.sluice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The custom resources' {@code openAPIV3Schema}s, from versioned Maven artifacts (never copied into the
 * repository), made strict: {@code additionalProperties: false} on every object schema that lists its properties,
 * since the API server would prune unknown fields silently.
 */
final class CrdSchemas {
    /** The FlinkDeployment CRD inside org.apache.flink:flink-kubernetes-operator-api (version in k8s/pom.xml). */
    static final String FLINK_CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";

    /**
     * Strimzi's build generates its published {@code 043-Crd-kafkatopic.yaml} with these arguments from the classes
     * of io.strimzi:api; the same generator (io.strimzi:crd-generator, same version) runs here.
     */
    private static final List<String> STRIMZI_TOPIC_CRD_ARGS = List.of("--label", "app:strimzi", "--label", "strimzi.io/crd-install:true",
            "--target-kube", "1.16+", "--crd-api-version", "v1", "--api-versions", "v1alpha1,v1beta1,v1beta2",
            "--storage-version", "v1beta2", "--yaml");

    private CrdSchemas() {
    }

    static JsonSchema flinkDeployment() {
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(FLINK_CRD)) {
            if (in == null) {
                throw new IllegalStateException(FLINK_CRD + " is not on the test classpath (flink-kubernetes-operator-api)");
            }
            return strict(Rendered.YAML.readTree(in), FLINK_CRD, "v1beta1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** io.strimzi:crd-generator and crd-annotations, copied here by k8s/pom.xml (execution strimzi-crd-generator). */
    private static final Path GENERATOR_JARS = Path.of("target/crd-generator");

    /**
     * Runs Strimzi's CRD generator in a child JVM (its main ends with System.exit), with the test classpath
     * (io.strimzi:api, Jackson, fabric8) first and the generator's jars last.
     */
    static JsonSchema kafkaTopic() {
        try {
            Path out = Files.createTempFile("043-Crd-kafkatopic", ".yaml");
            String classpath = System.getProperty("java.class.path");
            try (var jars = Files.list(GENERATOR_JARS)) {
                for (Path jar : jars.sorted().toList()) {
                    classpath += java.io.File.pathSeparator + jar.toAbsolutePath();
                }
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "io.strimzi.crdgenerator.CrdGenerator"));
            command.addAll(STRIMZI_TOPIC_CRD_ARGS);
            command.add("io.strimzi.api.kafka.model.topic.KafkaTopic=" + out);
            Path log = Files.createTempFile("crd-generator", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("Strimzi's CRD generator failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            JsonNode crd = Rendered.YAML.readTree(out.toFile());
            Files.delete(out);
            Files.delete(log);
            return strict(crd, "Strimzi's KafkaTopic CRD", "v1beta2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonSchema strict(JsonNode crd, String origin, String versionName) {
        JsonNode version = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(versionName)) {
                version = v;
            }
        }
        if (version == null) {
            throw new IllegalStateException(origin + " has no version " + versionName);
        }
        ObjectNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
        // The API server validates these itself, so CRDs leave them out; metadata is parsed as fabric8 ObjectMeta.
        ObjectNode properties = (ObjectNode) schema.get("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("type", "object");
        closeObjects(schema);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }

    /**
     * Adds {@code additionalProperties: false} to every object schema that lists its properties and does not
     * already say what else it takes, and drops the {@code x-kubernetes-*} keywords JSON Schema does not know.
     */
    static void closeObjects(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(CrdSchemas::closeObjects);
            return;
        }
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("x-kubernetes-")) {
                names.remove();
            }
        }
        if (schema.has("properties") && !schema.has("additionalProperties") && !preserveUnknown) {
            schema.put("additionalProperties", false);
        }
        if (schema.get("properties") instanceof ObjectNode properties) {
            properties.forEach(CrdSchemas::closeObjects);
        }
        if (schema.get("additionalProperties") instanceof ObjectNode additional) {
            closeObjects(additional);
        }
        closeObjects(schema.get("items"));
        closeObjects(schema.get("anyOf"));
        closeObjects(schema.get("allOf"));
        closeObjects(schema.get("oneOf"));
    }
}
