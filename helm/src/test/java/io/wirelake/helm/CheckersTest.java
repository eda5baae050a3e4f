package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The two checks the mock API server does not make find what they are there to find. */
class CheckersTest
{
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void strictModelFindsMisspeltAndMisplacedFields()
    {
        HasMetadata daemonSet = SERIALIZATION.unmarshal("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: collector
                spec:
                  selector:
                    matchLabels: {app: collector}
                  template:
                    metadata:
                      labels: {app: collector}
                    spec:
                      hostNetWork: true
                      containers:
                        - name: collector
                          image: wirelake/wirelake:0.1.0
                          capabilities:
                            add: [NET_RAW]
                """);
        assertThat(StrictModel.unknownFields(daemonSet)).containsExactlyInAnyOrder(
                ".spec.template.spec.hostNetWork",
                ".spec.template.spec.containers[0].capabilities");

        HasMetadata right = SERIALIZATION.unmarshal("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: collector
                  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/x"}
                """);
        assertThat(StrictModel.unknownFields(right)).isEmpty();
    }

    @Test
    void structuralSchemaFindsWhatTheOperatorWouldRefuse()
    {
        StructuralSchema schema = StructuralSchema.load("flinkdeployments.flink.apache.org-v1.yml", "v1beta1");
        assertThat(schema.violations(Chart.yaml("""
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata:
                  name: dissect
                spec:
                  image: wirelake/flink-job:0.1.0
                  flinkVersion: v2_3
                  jobManager:
                    resources:
                      memory: 2048m
                  taskManager:
                    resource:
                      memory: 4096m
                      cpu: two
                  job:
                    jarURI: local:///opt/flink/usrlib/wirelake-flink-job.jar
                    parallelism: "4"
                    upgradeMode: stateless
                """))).containsExactlyInAnyOrder(
                // v2_3 is newer than operator 1.15.0 knows
                ".spec.flinkVersion: v2_3 is not one of [\"v1_13\", \"v1_14\", \"v1_15\", \"v1_16\", \"v1_17\", \"v1_18\", \"v1_19\", \"v1_20\", \"v2_0\", \"v2_1\", \"v2_2\"]",
                ".spec.jobManager.resources: unknown field",
                ".spec.taskManager.resource.cpu: expected a number, found String two",
                ".spec.job.parallelism: expected an integer, found String 4");
        assertThat(schema.violations(Chart.yaml("""
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkSessionJob
                metadata:
                  name: dissect
                """))).singleElement().asString().startsWith("not a flink.apache.org/v1beta1 FlinkDeployment");
    }
}
