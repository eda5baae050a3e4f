package io.wirelake.kfl;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.checker.CelStandardDeclarations;
import dev.cel.checker.CelStandardDeclarations.StandardFunction.Overload;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnType;
import io.wirelake.columns.Columns;

/**
 * The CEL environment of KFL2, generated from the column declarations: every column is a
 * variable (dotted names declared flat, as KFL2 does), plus KFL2's functions {@code map_get} and
 * {@code now}, and CEL's standard macros.
 */
final class KflEnvironment
{
    static final String MAP_GET = "map_get";
    static final String MAP_GET_OVERLOAD = "map_get_map_string_string";
    static final String NOW = "now";
    static final String NOW_OVERLOAD = "now_timestamp";

    static final CelOptions OPTIONS = CelOptions.current()
            .enableTimestampEpoch(true)
            .evaluateCanonicalTypesToNativeValues(true)
            // The translator recognises macros (exists, all, ...) from the parser's record of them.
            .populateMacroCalls(true)
            .build();

    private KflEnvironment() {}

    static CelCompiler compiler()
    {
        return compiler(CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardEnvironmentEnabled(false)
                .setStandardDeclarations(standardDeclarations(OPTIONS)));
    }

    /**
     * CEL's standard functions and identifiers for these options, built once. With the standard
     * environment merely enabled, CEL's checker builds them again for every filter it checks, a
     * quarter of the time a valid filter takes to compile. The filter is the one cel-java 0.14's
     * {@code Env.standard} applies; KflEnvironmentTest holds the two environments equal.
     */
    static CelStandardDeclarations standardDeclarations(CelOptions options)
    {
        return CelStandardDeclarations.newBuilder()
                .filterFunctions((function, overload) -> switch (function) {
                    case INT -> options.enableUnsignedLongs() || !overload.equals(Overload.Conversions.INT64_TO_INT64);
                    case TIMESTAMP -> options.enableTimestampEpoch() || !overload.equals(Overload.Conversions.INT64_TO_TIMESTAMP);
                    default -> options.enableHeterogeneousNumericComparisons()
                            || !(overload instanceof Overload.Comparison comparison && comparison.isHeterogeneousComparison());
                })
                .build();
    }

    /** KFL's variables, functions and macros on top of a builder's standard environment. */
    static CelCompiler compiler(CelCompilerBuilder standard)
    {
        CelCompilerBuilder builder = standard
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
        for (Column column : Columns.all()) {
            builder.addVar(column.kflName(), celType(column.type()));
        }
        builder.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration(MAP_GET, CelOverloadDecl.newGlobalOverload(MAP_GET_OVERLOAD, SimpleType.STRING,
                        MapType.create(SimpleType.STRING, SimpleType.STRING), SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(NOW, CelOverloadDecl.newGlobalOverload(NOW_OVERLOAD, SimpleType.TIMESTAMP)));
        return builder.build();
    }

    static CelType celType(ColumnType type)
    {
        return switch (type) {
            case STRING -> SimpleType.STRING;
            case INT -> SimpleType.INT;
            case BOOL -> SimpleType.BOOL;
            case TIMESTAMP -> SimpleType.TIMESTAMP;
            case BYTES -> SimpleType.BYTES;
            case STRING_LIST -> ListType.create(SimpleType.STRING);
            case STRING_MAP -> MapType.create(SimpleType.STRING, SimpleType.STRING);
        };
    }
}
