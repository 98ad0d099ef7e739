package dev.sluice.job.extend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.config.DerivedFieldConfig;
import dev.sluice.core.config.ExtensionsConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

class ExtenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Functions FUNCTIONS = Functions.load();

    private static RecordView view(String json) throws Exception {
        RecordView view = new RecordView();
        view.reset((ObjectNode) JSON.readTree(json), RowKind.INSERT);
        return view;
    }

    private static DerivedFieldConfig derived(String name, String function, String... args) {
        return new DerivedFieldConfig(name, function, List.of(args));
    }

    private static String get(RecordView view, String path) {
        return view.get(FieldPath.of(path)).toString();
    }

    @Test
    void flattensNestedObjectsAndDerivesFromFlattenedFields() throws Exception {
        Extender extender = new Extender(new ExtensionsConfig(List.of("role"), null, List.of(
                derived("guild", "coalesce", "role_guild_id", "'none'"),
                derived("name_uc", "upper", "role_name"),
                derived("day", "from_unixtime", "ts", "yyyy-MM-dd"),
                derived("inner", "json_path", "payload", "$.items[1].sku"),
                derived("id", "hash", "role_id", "'salt'"))), FUNCTIONS);
        RecordView view = view("{\"ts\":1795428001,\"role\":{\"id\":42,\"name\":\"n\",\"guild\":{\"id\":3}},"
                + "\"payload\":\"{\\\"items\\\":[{\\\"sku\\\":\\\"a\\\"},{\\\"sku\\\":\\\"b\\\"}]}\"}");

        extender.extend(view);

        assertThat(get(view, "role_guild_id")).isEqualTo("3");
        assertThat(get(view, "guild")).isEqualTo("3");
        assertThat(get(view, "name_uc")).isEqualTo("\"N\"");
        assertThat(get(view, "day")).isEqualTo("\"2026-11-23\"");
        assertThat(get(view, "inner")).isEqualTo("\"b\"");
        // 64-bit FNV-1a of "42" U+0001 "salt": the value must never change between versions.
        assertThat(get(view, "id")).isEqualTo("\"13c2f8fb3110f8f2\"");
        assertThat(BuiltinFunctions.Hash.of("42", "salt")).isEqualTo("13c2f8fb3110f8f2");
        // Published FNV-1a 64 vectors: the empty input is the offset basis.
        assertThat(BuiltinFunctions.Hash.of("")).isEqualTo("cbf29ce484222325");
        assertThat(BuiltinFunctions.Hash.of("a")).isEqualTo("af63dc4c8601ec8c");
    }

    @Test
    void flattenedNamesStayRightPastTheNameCache() throws Exception {
        Extender extender = new Extender(new ExtensionsConfig(List.of("role"), null, List.of()), FUNCTIONS);
        // Ids used as keys: more distinct names than the extender keeps, each record still flattened whole.
        for (int i = 0; i < 10_000; i++) {
            RecordView view = view("{\"role\":{\"k" + i + "\":" + i + ",\"geo\":{\"c" + (i % 3) + "\":\"x\"}}}");

            extender.extend(view);

            assertThat(get(view, "role_k" + i)).isEqualTo(String.valueOf(i));
            assertThat(get(view, "role_geo_c" + (i % 3))).isEqualTo("\"x\"");
        }
    }

    @Test
    void absentInputsGiveNullsAndCoalesceFallsBack() throws Exception {
        Extender extender = new Extender(new ExtensionsConfig(List.of("role"), null, List.of(
                derived("guild", "coalesce", "role_guild_id", "'none'"),
                derived("day", "date_format", "ts", "yyyy-MM-dd"))), FUNCTIONS);
        RecordView view = view("{\"role\":5}");

        extender.extend(view);

        assertThat(get(view, "guild")).isEqualTo("\"none\"");
        assertThat(get(view, "day")).isEqualTo("null");
    }

    @Test
    void functionFailureNamesTheDerivedField() throws Exception {
        Extender extender = new Extender(new ExtensionsConfig(List.of(), null,
                List.of(derived("dt", "date_format", "ts", "yyyy-MM-dd"))), FUNCTIONS);

        assertThatThrownBy(() -> extender.extend(view("{\"ts\":{\"sec\":1}}")))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("derived field 'dt' (date_format): expected a timestamp, got object");
    }

    @Test
    void explodesArraysIntoOneViewPerElement() throws Exception {
        Extender extender = new Extender(new ExtensionsConfig(List.of(), "order.items",
                List.of(derived("sku_lc", "lower", "order.items.sku"))), FUNCTIONS);
        RecordView view = view("{\"order\":{\"id\":1,\"items\":[{\"sku\":\"A\"},{\"sku\":\"B\"}]}}");

        List<String> skus = new ArrayList<>();
        for (JsonNode element : extender.elements(view)) {
            extender.select(view, element);
            extender.extend(view);
            skus.add(view.top("sku_lc").textValue() + "/" + view.get(FieldPath.of("order.id")));
        }

        assertThat(skus).containsExactly("a/1", "b/1");
        assertThat(extender.elements(view("{\"order\":{\"items\":[]}}"))).isNull();
        assertThatThrownBy(() -> extender.elements(view("{\"order\":{\"items\":{\"sku\":\"A\"}}}")))
                .hasMessage("explode path 'order.items' holds object, expected an array");
    }
}
