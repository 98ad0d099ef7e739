package dev.sluice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The objects of one rendered kustomization, as the YAML trees kubectl would send. */
final class Rendered {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String name;
    private final List<ObjectNode> objects;

    private Rendered(String name, List<ObjectNode> objects) {
        this.name = name;
        this.objects = List.copyOf(objects);
    }

    static Rendered parse(String name, String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc instanceof ObjectNode object) {
                    objects.add(object);
                } else if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    throw new IllegalArgumentException(name + ": a rendered document is not an object: " + doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": rendered YAML does not parse", e);
        }
        return new Rendered(name, objects);
    }

    /** What was rendered (the kustomization's path relative to k8s/), for messages. */
    String name() {
        return name;
    }

    List<ObjectNode> objects() {
        return objects;
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(kindOf(o))).toList();
    }

    Optional<ObjectNode> find(String kind, String objectName) {
        return objects.stream().filter(o -> kind.equals(kindOf(o)) && objectName.equals(nameOf(o))).findFirst();
    }

    /**
     * The object kustomize generated as {@code baseName} (a ConfigMap or Secret generator appends a content hash:
     * {@code baseName-<10 characters>}), or the one named exactly so.
     */
    Optional<ObjectNode> findGenerated(String kind, String baseName) {
        return find(kind, baseName).or(() -> objects.stream()
                .filter(o -> kind.equals(kindOf(o)) && nameOf(o).matches(Pattern.quote(baseName) + "-[a-z0-9]{10}")).findFirst());
    }

    static String kindOf(JsonNode object) {
        return object.path("kind").asText();
    }

    static String nameOf(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String namespaceOf(JsonNode object) {
        return object.path("metadata").path("namespace").asText(null);
    }

    /** {@code Kind/name}, as kubectl prints it. */
    static String id(JsonNode object) {
        return kindOf(object) + "/" + nameOf(object);
    }
}
