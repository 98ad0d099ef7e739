package dev.sluice.job.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.sluice.job.udf.PyValues;
import dev.sluice.job.udf.PythonUdfs;
import dev.sluice.job.udf.UdfException;
import org.graalvm.polyglot.Value;

/**
 * One table's compiled stages after the shared parse: extend → route → postprocess → format. Runtime object built in
 * {@link RecordProcessor#open()}, used by one thread.
 *
 * <p>The route is evaluated before formatting so a table does not pay for (or fail on) converting
 * records it does not want; the expression sees the extended record, by column or field name. The
 * postprocess UDF gets the routed record as a dict and returns the record the columns are taken from,
 * or None to drop it ({@value #DROP_POSTPROCESS}).
 */
final class TableStage {
    static final String DROP_ROUTE = "route";
    static final String DROP_EXPLODE_EMPTY = "explode_empty";
    static final String DROP_POSTPROCESS = "udf_postprocess";

    final String name;
    final KeywordFilter filter;
    final int parserSlot;
    private final Extender extender;
    private final RouteExpression route;
    private final RowFormatter formatter;
    private final RecordView view = new RecordView();
    /** Null: no postprocess. */
    private final String postprocess;
    private final PythonUdfs udfs;
    /** The postprocessed record, as the formatter's input. */
    private final RecordView post = new RecordView();

    /** @param udfs the pipeline's Python UDFs; null when it has none */
    TableStage(TableConfig table, int parserSlot, Functions functions, PythonUdfs udfs) {
        this.name = table.name();
        this.filter = new KeywordFilter(table.filter());
        this.parserSlot = parserSlot;
        this.extender = new Extender(table.extensions(), functions, udfs);
        this.postprocess = table.postprocess();
        this.udfs = udfs;
        if (postprocess != null) {
            udfs.check(postprocess, 1);
        }
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
        } catch (UdfException e) {
            out.error(ErrorRecord.of(e.code(), name, record, e, e.getMessage()));
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
        RecordView input = view;
        if (postprocess != null) {
            try {
                ObjectNode processed = postprocess();
                if (processed == null) {
                    out.dropped(name, DROP_POSTPROCESS);
                    return;
                }
                post.reset(processed, view.kind());
                input = post;
            } catch (UdfException e) {
                out.error(ErrorRecord.of(e.code(), name, record, e, e.getMessage()));
                return;
            }
        }
        FormatResult formatted = formatter.format(input);
        if (formatted.isOk()) {
            out.row(name, formatted.row());
        } else {
            out.error(ErrorRecord.of(formatted.code(), name, record, null, formatted.message()));
        }
    }

    /** The postprocessed record, or null when the UDF dropped it. */
    private ObjectNode postprocess() throws UdfException {
        Value result = udfs.call(postprocess, PyValues.toGuest(view.toObject()));
        if (result.isNull()) {
            return null;
        }
        if (!PyValues.isDict(result)) {
            throw new UdfException(ErrorCode.UDF_ERROR, "postprocess " + postprocess
                    + " must return a dict or None, got " + PyValues.typeName(result), null);
        }
        try {
            return (ObjectNode) PyValues.toJson(result);
        } catch (IllegalArgumentException e) {
            throw new UdfException(ErrorCode.UDF_ERROR, "postprocess " + postprocess
                    + " returned a value with no column form: " + e.getMessage(), e);
        }
    }
}
