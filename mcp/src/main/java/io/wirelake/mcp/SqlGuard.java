package io.wirelake.mcp;

import io.trino.grammar.sql.SqlBaseLexer;
import io.trino.grammar.sql.SqlBaseParser;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTree;

import java.util.Locale;
import java.util.Map;

/**
 * Decides whether SQL is one read-only query, with Trino's own grammar (the ANTLR lexer and
 * parser of Trino 476, {@code io.trino:trino-grammar}; Trino's {@code trino-parser}, which builds
 * the AST on top of it, needs Java 24): the statement must be a query ({@code SELECT}, {@code WITH},
 * {@code VALUES}, {@code TABLE}); not a session-setting {@code WITH SESSION} (it could lift the
 * time limit); and call no table function (some write, such as the Hive connector's {@code unload}).
 * A regular expression cannot tell a keyword from the same word in a string or a comment; a parser can.
 */
final class SqlGuard
{
    /** Longest SQL accepted; queries over the lake are short, and the parser's work grows with the text. */
    static final int MAXIMUM_LENGTH = 64 * 1024;

    private SqlGuard() {}

    /** Returns normally for one read-only query; otherwise a {@link ToolException} saying why. */
    static void requireReadOnlyQuery(String sql)
    {
        if (sql.length() > MAXIMUM_LENGTH) {
            throw new ToolException("the SQL is " + sql.length() + " characters; at most " + MAXIMUM_LENGTH + " are accepted");
        }
        SqlBaseParser.SingleStatementContext statement = parse(sql);
        if (!(statement.statement() instanceof SqlBaseParser.StatementDefaultContext query)) {
            String kind = statement.statement().getClass().getSimpleName().replaceFirst("Context$", "");
            throw new ToolException("run_sql runs only queries (SELECT, WITH ... SELECT, VALUES), not " + describe(kind)
                    + "; to see a table's columns: SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'api_calls'",
                    Map.of("statement", kind));
        }
        if (query.rootQueryWithSession().SESSION() != null) {
            throw new ToolException("run_sql does not take WITH SESSION: the server sets the query's limits");
        }
        requireNoTableFunction(query);
    }

    private static String describe(String kind)
    {
        // ANTLR's alternative labels in Trino's grammar: CreateTable, Insert, Delete, ShowColumns, Explain, Call, ...
        return kind.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }

    private static void requireNoTableFunction(ParseTree tree)
    {
        if (tree instanceof SqlBaseParser.TableFunctionInvocationContext invocation) {
            throw new ToolException("run_sql calls no table functions (TABLE(...)): some of them write; found "
                    + invocation.tableFunctionCall().qualifiedName().getText());
        }
        for (int index = 0; index < tree.getChildCount(); index++) {
            requireNoTableFunction(tree.getChild(index));
        }
    }

    /** As Trino parses: the fast SLL prediction first, and full LL only when SLL fails (SLL may fail on valid input, never accept invalid). */
    private static SqlBaseParser.SingleStatementContext parse(String sql)
    {
        try {
            return parse(sql, PredictionMode.SLL);
        }
        catch (ToolException e) {
            return parse(sql, PredictionMode.LL);
        }
    }

    private static SqlBaseParser.SingleStatementContext parse(String sql, PredictionMode mode)
    {
        SqlBaseLexer lexer = new SqlBaseLexer(new UpperCaseCharStream(CharStreams.fromString(sql)));
        SqlBaseParser parser = new SqlBaseParser(new CommonTokenStream(lexer));
        parser.getInterpreter().setPredictionMode(mode);
        BaseErrorListener refuse = new BaseErrorListener()
        {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column, String message, RecognitionException e)
            {
                throw new ParseCancellationException("line " + line + ", column " + (column + 1) + ": " + message);
            }
        };
        lexer.removeErrorListeners();
        lexer.addErrorListener(refuse);
        parser.removeErrorListeners();
        parser.addErrorListener(refuse);
        try {
            return parser.singleStatement();
        }
        catch (ParseCancellationException e) {
            throw new ToolException("the SQL does not parse (Trino's grammar): " + e.getMessage());
        }
    }

    /**
     * The text as the lexer sees it: Trino's keywords are upper case in its grammar and its parser
     * upper-cases what the lexer looks at (not the text it keeps), as this does.
     */
    private static final class UpperCaseCharStream
            implements CharStream
    {
        private final CharStream stream;

        UpperCaseCharStream(CharStream stream)
        {
            this.stream = stream;
        }

        @Override
        public int LA(int offset)
        {
            int character = stream.LA(offset);
            return character <= 0 ? character : Character.toUpperCase(character);
        }

        @Override
        public String getText(Interval interval)
        {
            return stream.getText(interval);
        }

        @Override
        public void consume()
        {
            stream.consume();
        }

        @Override
        public int mark()
        {
            return stream.mark();
        }

        @Override
        public void release(int marker)
        {
            stream.release(marker);
        }

        @Override
        public int index()
        {
            return stream.index();
        }

        @Override
        public void seek(int index)
        {
            stream.seek(index);
        }

        @Override
        public int size()
        {
            return stream.size();
        }

        @Override
        public String getSourceName()
        {
            return stream.getSourceName();
        }
    }
}
