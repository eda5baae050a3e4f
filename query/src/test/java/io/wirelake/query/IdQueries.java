package io.wirelake.query;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Many queries of the form {@code SELECT id FROM t WHERE p}, run as few, in one of two ways.
 * {@link #run}: a batch of them becomes one {@code UNION ALL} whose every branch keeps its own
 * {@code WHERE} and tags its ids with the branch's index, so that a thousand filters cost forty
 * round trips to Trino instead of a thousand (each round trip costs some 150 ms of planning and
 * scheduling on two cores, whatever the rows); each branch still reads the table. {@link #matching}:
 * a batch of predicates is evaluated over one read of the table, each as {@code CASE WHEN p THEN
 * ... ELSE ...}, which is true exactly where {@code WHERE p} keeps the row (not where p is false or
 * null). Either way a batch that fails is run again one query at a time, so that each query's own
 * error is its own answer. Ids must lie in [0, 2<sup>31</sup>): they share a bigint with the tag.
 */
final class IdQueries
{
    static final int BATCH = 25;
    /** Predicates per read of the table in {@link #matching}: one bit each below the id. */
    static final int MASK_BITS = 30;
    private static final long TAG = 1L << 32;

    /** What one query selected, in id order, or the error it failed with. */
    record Answer(List<Long> ids, SQLException error)
    {
        static Answer of(Query query, String sql)
                throws Exception
        {
            try {
                return new Answer(query.ids(sql), null);
            }
            catch (SQLException e) {
                return new Answer(List.of(), e);
            }
        }

        boolean failed()
        {
            return error != null;
        }
    }

    /** Runs one query and returns its first column. */
    interface Query
    {
        List<Long> ids(String sql)
                throws Exception;
    }

    private IdQueries() {}

    /** Each select's answer, in the order given; {@code query} runs the SQL this makes. */
    static List<Answer> run(List<String> selects, Query query)
            throws Exception
    {
        return inBatches(selects, BATCH, batch -> batch(batch, query));
    }

    /** What {@code SELECT id FROM table WHERE p} selects for each predicate, in the order given, from one read of the table per batch. */
    static List<Answer> matching(String table, List<String> predicates, Query query)
            throws Exception
    {
        return inBatches(predicates, MASK_BITS, batch -> matchingBatch(table, batch, query));
    }

    private interface Batch
    {
        List<Answer> answers(List<String> batch)
                throws Exception;
    }

    private static List<Answer> inBatches(List<String> items, int size, Batch batch)
            throws Exception
    {
        List<Answer> answers = new ArrayList<>(items.size());
        for (int start = 0; start < items.size(); start += size) {
            answers.addAll(batch.answers(items.subList(start, Math.min(items.size(), start + size))));
        }
        return answers;
    }

    /** Each query of a failed batch run alone, so that its error (or its ids) is its own. */
    private static List<Answer> alone(List<String> selects, Query query)
            throws Exception
    {
        List<Answer> answers = new ArrayList<>(selects.size());
        for (String select : selects) {
            answers.add(Answer.of(query, select + " ORDER BY id"));
        }
        return answers;
    }

    private static List<List<Long>> empty(int count)
    {
        List<List<Long>> ids = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            ids.add(new ArrayList<>());
        }
        return ids;
    }

    private static List<Answer> answers(List<List<Long>> ids)
    {
        List<Answer> answers = new ArrayList<>(ids.size());
        for (List<Long> each : ids) {
            answers.add(new Answer(each, null));
        }
        return answers;
    }

    private static List<Answer> matchingBatch(String table, List<String> predicates, Query query)
            throws Exception
    {
        // Each row's id above a mask of the predicates that keep it.
        StringBuilder mask = new StringBuilder();
        for (int index = 0; index < predicates.size(); index++) {
            mask.append(index == 0 ? "" : " + ").append("CASE WHEN (").append(predicates.get(index)).append(") THEN ").append(1L << index).append(" ELSE 0 END");
        }
        List<Long> tagged;
        try {
            tagged = query.ids("SELECT id * " + TAG + " + (" + mask + ") FROM " + table + " ORDER BY id");
        }
        catch (SQLException e) {
            return alone(predicates.stream().map(predicate -> "SELECT id FROM " + table + " WHERE " + predicate).toList(), query);
        }
        List<List<Long>> ids = empty(predicates.size());
        for (long value : tagged) {
            if (value < 0) {
                throw new IllegalStateException("an id outside [0, 2^31) in " + value + ": ids must fit above the mask");
            }
            for (int index = 0; index < predicates.size(); index++) {
                if ((value & (1L << index)) != 0) {
                    ids.get(index).add(value / TAG);
                }
            }
        }
        return answers(ids);
    }

    private static List<Answer> batch(List<String> selects, Query query)
            throws Exception
    {
        StringBuilder union = new StringBuilder("SELECT tagged FROM (");
        for (int index = 0; index < selects.size(); index++) {
            union.append(index == 0 ? "" : " UNION ALL ").append("SELECT ").append(index).append(" * ").append(TAG).append(" + id AS tagged FROM (")
                    .append(selects.get(index)).append(")");
        }
        union.append(") ORDER BY tagged");
        List<Long> tagged;
        try {
            tagged = query.ids(union.toString());
        }
        catch (SQLException e) {
            return alone(selects, query);
        }
        List<List<Long>> ids = empty(selects.size());
        for (long value : tagged) {
            int index = (int) (value / TAG);
            if (value < 0 || index >= selects.size()) {
                throw new IllegalStateException("an id outside [0, 2^31) in " + value + ": ids must fit beside the tag");
            }
            ids.get(index).add(value % TAG);
        }
        return answers(ids);
    }
}
