package dev.sluice.job.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.record.RawRecord;
import dev.sluice.job.extend.Extender;
import dev.sluice.job.extend.ExtensionException;
import dev.sluice.job.extend.Functions;
import dev.sluice.job.extend.RecordView;
import dev.sluice.job.filter.KeywordFilter;
import dev.sluice.job.format.FormatResult;
import dev.sluice.job.format.RowFormatter;
import dev.sluice.job.parse.ParseResult;
import dev.sluice.job.split.RouteExpression;
import dev.sluice.job.split.RoutingException;

/**
 * One table's compiled stages after the shared parse: extend → route → format. Runtime object built in
 * {@link RecordProcessor#open()}, used by one thread.
 *
 * <p>The route is evaluated before formatting so a table does not pay for (or fail on) converting
 * records it does not want; the expression sees the extended record, by column or field name.
 */
final class TableStage {
    static final String DROP_ROUTE = "route";
    static final String DROP_EXPLODE_EMPTY = "explode_empty";

    final String name;
    final KeywordFilter filter;
    final int parserSlot;
    private final Extender extender;
    private final RouteExpression route;
    private final RowFormatter formatter;
    private final RecordView view = new RecordView();

    TableStage(TableConfig table, int parserSlot, Functions functions) {
        this.name = table.name();
        this.filter = new KeywordFilter(table.filter());
        this.parserSlot = parserSlot;
        this.extender = new Extender(table.extensions(), functions);
        this.route = RouteExpression.compile(table);
        this.formatter = new RowFormatter(table);
    }

    /** Runs the table's stages on a successfully parsed record; emits rows, drops or errors to {@code out}. */
    void process(ParseResult parsed, RawRecord record, PipelineOutput out) {
        view.reset(parsed.fields(), parsed.kind());
        if (!extender.explodes()) {
            emit(record, out);
            return;
        }
        JsonNode elements;
        try {
            elements = extender.elements(view);
        } catch (ExtensionException e) {
            out.error(ErrorRecord.of(ErrorCode.EXTENSION_FAILED, name, record, e, e.getMessage()));
            return;
        }
        if (elements == null) {
            out.dropped(name, DROP_EXPLODE_EMPTY);
            return;
        }
        for (JsonNode element : elements) {
            extender.select(view, element);
            emit(record, out);
        }
    }

    private void emit(RawRecord record, PipelineOutput out) {
        try {
            extender.extend(view);
        } catch (ExtensionException e) {
            out.error(ErrorRecord.of(ErrorCode.EXTENSION_FAILED, name, record, e, e.getMessage()));
            return;
        }
        try {
            if (route != null && !route.accepts(view)) {
                out.dropped(name, DROP_ROUTE);
                return;
            }
        } catch (RoutingException e) {
            out.error(ErrorRecord.of(ErrorCode.ROUTING_FAILED, name, record, e, e.getMessage()));
            return;
        }
        FormatResult formatted = formatter.format(view);
        if (formatted.isOk()) {
            out.row(name, formatted.row());
        } else {
            out.error(ErrorRecord.of(formatted.code(), name, record, null, formatted.message()));
        }
    }
}
