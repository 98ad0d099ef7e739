package dev.sluice.job.split;

import dev.sluice.core.config.ColumnConfig;
import dev.sluice.core.config.TableConfig;
import dev.sluice.job.extend.FieldPath;
import dev.sluice.job.extend.RecordView;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * A table's routing expression (Apache Commons JEXL), compiled once at open and evaluated per record
 * against the table's extended record view: {@code level == 'ERROR'}, {@code event =~ ['login',
 * 'logout']}, {@code latency_ms > 1000 && user.region == 'eu'}. A name resolves to the column of that
 * name (through its path) if there is one, else to the top-level field; absent fields are null. The
 * expression must yield a boolean; null counts as false.
 *
 * <p>The engine only evaluates side-effect-free expressions: no assignments, loops, object creation or
 * lambdas, and JEXL's restricted permissions (no reflection, I/O, processes).
 */
public final class RouteExpression {
    private static final JexlEngine ENGINE = new JexlBuilder()
            .features(new JexlFeatures()
                    .sideEffect(false).sideEffectGlobal(false).loops(false).newInstance(false).lambda(false)
                    .script(false))
            .permissions(JexlPermissions.RESTRICTED)
            .strict(false)
            .safe(true)
            .silent(false)
            .cache(0)
            .create();

    private final String source;
    private final JexlExpression expression;
    private final RouteContext context;

    private RouteExpression(String source, JexlExpression expression, Map<String, FieldPath> columns) {
        this.source = source;
        this.expression = expression;
        this.context = new RouteContext(columns);
    }

    /**
     * Compiles a table's route.
     *
     * @return null when the table has no route (it takes every record its filter and parser accept)
     * @throws IllegalArgumentException with JEXL's message when the expression does not compile
     */
    public static RouteExpression compile(TableConfig table) {
        if (table.route() == null) {
            return null;
        }
        String explode = table.extensions().explode();
        Map<String, FieldPath> columns = new HashMap<>();
        for (ColumnConfig column : table.columns()) {
            if (!column.name().equals(column.path())) {
                columns.put(column.name(), FieldPath.of(column.path(), explode));
            }
        }
        return new RouteExpression(table.route(), parse(table.route()), columns);
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException when it does not compile
     */
    public static JexlExpression parse(String expression) {
        try {
            return ENGINE.createExpression(expression);
        } catch (JexlException e) {
            throw new IllegalArgumentException("route expression does not compile: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the record goes to the table.
     *
     * @throws RoutingException when evaluation fails or yields something other than a boolean
     */
    public boolean accepts(RecordView view) throws RoutingException {
        Object result;
        context.view = view;
        try {
            result = expression.evaluate(context);
        } catch (JexlException | ArithmeticException e) {
            throw new RoutingException("route '" + source + "' failed: " + e.getMessage(), e);
        } finally {
            context.view = null;
        }
        if (result == null || result instanceof Boolean) {
            return Boolean.TRUE.equals(result);
        }
        throw new RoutingException("route '" + source + "' returned " + result.getClass().getSimpleName()
                + " " + result + ", expected a boolean", null);
    }

    @Override
    public String toString() {
        return source;
    }
}
