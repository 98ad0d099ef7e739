package dev.sluice.job.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.TableConfig;
import dev.sluice.job.extend.RecordView;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

class RouteExpressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RouteExpression route(String expression) {
        TableConfig table = PipelineConfigLoader.parse("""
                source: { topic: t }
                tables:
                  - name: a.b
                    parser: { type: json }
                    columns: [ { name: region, type: STRING, path: user.region } ]
                    route: "%s"
                """.formatted(expression), "t").tables().get(0);
        return RouteExpression.compile(table);
    }

    private static boolean accepts(RouteExpression route, String json) throws Exception {
        RecordView view = new RecordView();
        view.reset((ObjectNode) JSON.readTree(json), RowKind.INSERT);
        return route.accepts(view);
    }

    @Test
    void comparesFieldsColumnsNestedValuesAndLists() throws Exception {
        RouteExpression route = route("level =~ ['ERROR', 'FATAL'] && latency_ms > 1000 && region == 'eu' && user.id == 42");

        assertThat(accepts(route, "{\"level\":\"ERROR\",\"latency_ms\":1500,\"user\":{\"id\":42,\"region\":\"eu\"}}")).isTrue();
        assertThat(accepts(route, "{\"level\":\"ERROR\",\"latency_ms\":15,\"user\":{\"id\":42,\"region\":\"eu\"}}")).isFalse();
    }

    @Test
    void missingFieldsAreNullNotErrors() throws Exception {
        assertThat(accepts(route("level == 'ERROR'"), "{}")).isFalse();
        assertThat(accepts(route("user.region == 'eu'"), "{\"user\":5}")).isFalse();
    }

    @Test
    void nonBooleanResultIsARoutingFailure() {
        assertThatThrownBy(() -> accepts(route("level"), "{\"level\":\"ERROR\"}"))
                .isInstanceOf(RoutingException.class)
                .hasMessage("route 'level' returned String ERROR, expected a boolean");
    }

    @Test
    void sideEffectsAndJavaAccessDoNotCompile() {
        assertThatThrownBy(() -> RouteExpression.parse("x = 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteExpression.parse("new('java.io.File', '/')")).isInstanceOf(IllegalArgumentException.class);
    }
}
