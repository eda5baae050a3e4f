package io.wirelake.bench.corpus;

import java.util.Random;

/** Bodies that look like what services send: JSON documents of orders and products, and incompressible media. */
final class Content
{
    private static final String[] NAMES = {"espresso machine", "running shoes", "desk lamp", "wool scarf", "graphic novel", "garden hose",
            "noise cancelling headphones", "cast iron pan", "yoga mat", "mechanical keyboard", "travel mug", "rain jacket"};
    private static final String[] STATES = {"created", "paid", "packed", "shipped", "delivered", "returned"};

    private Content() {}

    /** A JSON array of order-like records, about {@code bytes} long. */
    static String json(Random random, int bytes)
    {
        StringBuilder json = new StringBuilder(bytes + 256).append('[');
        int index = 0;
        while (json.length() < bytes) {
            if (index > 0) {
                json.append(',');
            }
            json.append("{\"id\":").append(100_000 + random.nextInt(900_000))
                    .append(",\"customer\":\"c-").append(Integer.toHexString(random.nextInt()))
                    .append("\",\"item\":\"").append(NAMES[random.nextInt(NAMES.length)])
                    .append("\",\"quantity\":").append(1 + random.nextInt(5))
                    .append(",\"price\":").append(random.nextInt(50_000) / 100.0)
                    .append(",\"state\":\"").append(STATES[random.nextInt(STATES.length)])
                    .append("\",\"created\":\"2026-11-").append(10 + random.nextInt(18)).append('T').append(10 + random.nextInt(13))
                    .append(':').append(10 + random.nextInt(50)).append(":00Z\"}");
            index++;
        }
        return json.append(']').toString();
    }

    /** Random bytes: a photo or an archive, which no content coding shrinks. */
    static byte[] binary(Random random, int bytes)
    {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return data;
    }

    /** A size between {@code low} and {@code high}, skewed toward the low end as real sizes are. */
    static int size(Random random, int low, int high)
    {
        double skewed = Math.pow(random.nextDouble(), 2);
        return low + (int) (skewed * (high - low));
    }
}
