package io.wirelake.helm;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json and the chart's own checks: Helm refuses bad values before anything is installed. */
class ValuesSchemaTest
{
    @Test
    void theChartAsShippedNeedsABucket()
    {
        // helm lint lets a missing required value pass (it only logs it: lint cannot know the
        // values of an install); an install or a template without the bucket fails.
        LintResult shipped = Chart.lintAsShipped();
        assertThat(shipped.isFailed()).as(String.join("\n", shipped.getMessages())).isFalse();
        assertThatThrownBy(() -> Chart.template("{}")).hasMessageContaining("global.wirelake.store.bucket is required");
    }

    @Test
    void lintsCleanWithABucketInBothModes()
    {
        LintResult application = Chart.lint(Chart.BUCKET_ONLY);
        assertThat(application.isFailed()).as(String.join("\n", application.getMessages())).isFalse();
        LintResult session = Chart.lint(SnapshotChartTest.SESSION);
        assertThat(session.isFailed()).as(String.join("\n", session.getMessages())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown mode                  | dissection: {mode: cluster}                                                     | mode
            a bucket name S3 refuses         | global: {wirelake: {store: {bucket: Not_A_Bucket}}}                             | bucket
            IRSA and a Secret at once        | global: {wirelake: {store: {bucket: wirelake-test-lake, credentials: {roleArn: 'arn:aws:iam::123456789012:role/x', secretName: s3}}}} | credentials
            a role that is not an ARN        | collector: {serviceAccount: {roleArn: wirelake-role}}                           | roleArn
            session mode without a job jar   | dissection: {mode: session}                                                     | jarURI
            a port beyond 65535              | collector: {metrics: {port: 70000}}                                             | port
            a misspelt key                   | collector: {hostNetwork: false}                                                 | hostNetwork
            a schedule that is not cron      | snapshot: {schedule: daily}                                                     | schedule
            no parallelism                   | dissection: {parallelism: 0}                                                    | parallelism
            an operator version of Flink 1   | dissection: {flinkVersion: v1_20}                                               | flinkVersion
            a text where a number goes       | snapshot: {backoffLimit: twice}                                                 | backoffLimit
            """)
    void rejects(String what, String values, String path)
    {
        String document = values.startsWith("global:") ? values : Chart.BUCKET_ONLY + values;
        assertThatThrownBy(() -> Chart.template(document)).as(what)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(path);
    }
}
