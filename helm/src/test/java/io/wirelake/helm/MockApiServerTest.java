package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered chart applied to a Kubernetes API, and a dissection launched from its template as
 * the snapshot job's launcher will launch it.
 *
 * <p>No Kubernetes API server can run here, so this uses the one mock the project allows:
 * fabric8's mock API server in CRUD mode (a real API's create, get, list, watch and delete over
 * an in-memory store, with custom resource types served once their CRDs are created; no
 * admission, no schema validation, no scheduling). What the mock does not check is checked
 * before each object is applied: fabric8's typed model with no unknown field
 * ({@link StrictModel}), and custom resources against their operators' own CRDs
 * ({@link StructuralSchema}).
 */
@EnableKubernetesMockClient(crud = true)
class MockApiServerTest
{
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, StructuralSchema> SCHEMAS = Map.of(
            "FlinkDeployment", StructuralSchema.load("flinkdeployments.flink.apache.org-v1.yml", "v1beta1"),
            "FlinkSessionJob", StructuralSchema.load("flinksessionjobs.flink.apache.org-v1.yml", "v1beta1"),
            "ServiceMonitor", StructuralSchema.load("monitoring.coreos.com_servicemonitors.yaml", "v1"));

    KubernetesClient client;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "session mode", "IRSA with a ServiceMonitor", "a Secret, no Trino, no collector RBAC"})
    void everyRenderedObjectIsAcceptedAndReadsBackUnchanged(String variant)
    {
        Rendered rendered = Chart.render(values(variant));
        installTheOperatorsCustomResourceDefinitions();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(Chart.NAMESPACE).endMetadata().build()).create();

        assertThat(rendered.items()).isNotEmpty();
        for (Rendered.Item item : rendered.items()) {
            HasMetadata object = item.object();
            String what = object.getKind() + "/" + object.getMetadata().getName() + " from " + item.source();
            if (object instanceof GenericKubernetesResource) {
                StructuralSchema schema = SCHEMAS.get(object.getKind());
                assertThat(schema).as("a CRD for " + what).isNotNull();
                assertThat(schema.violations(item.tree())).as(what).isEmpty();
            }
            else {
                assertThat(StrictModel.unknownFields(object)).as(what).isEmpty();
            }
            client.resource(object).create();
            HasMetadata stored = client.resource(object).get();
            assertThat(stored).as(what).isNotNull();
            assertThat(withoutServerFields(stored)).as(what).isEqualTo(withoutServerFields(object));
        }
        if (variant.equals("a Secret, no Trino, no collector RBAC")) {
            assertThat(client.rbac().clusterRoles().list().getItems()).isEmpty();
        }
    }

    @Test
    void theLauncherCreatesFollowsAndDeletesOneFlinkDeploymentPerSnapshot()
    {
        installTheOperatorsCustomResourceDefinitions();
        for (HasMetadata object : Chart.render(Chart.BUCKET_ONLY).objects()) {
            client.resource(object).create();
        }

        // What the snapshot job's pod sees: the template from the ConfigMap mounted at /etc/wirelake/dissection.
        ConfigMap mounted = client.configMaps().inNamespace(Chart.NAMESPACE).withName(SnapshotChartTest.TEMPLATE).get();
        String template = mounted.getData().get("flinkdeployment.yaml");
        String snapshot = "daily-2026-12-01";
        GenericKubernetesResource deployment = SERIALIZATION.unmarshal(template.replace("${SNAPSHOT}", snapshot), GenericKubernetesResource.class);
        deployment.getMetadata().setName(deployment.getMetadata().getName() + "-" + snapshot);
        // The operator refuses FlinkDeployment names over 45 characters (its Services append suffixes).
        assertThat(deployment.getMetadata().getName()).hasSizeLessThanOrEqualTo(45);
        assertThat(SCHEMAS.get("FlinkDeployment").violations(SERIALIZATION.convertValue(deployment, Map.class))).isEmpty();

        NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> deployments =
                client.genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment").inNamespace(Chart.NAMESPACE);
        deployments.resource(deployment).create();
        GenericKubernetesResource created = deployments.withName("lake-wirelake-dissect-" + snapshot).get();
        assertThat(created.<List<Object>>get("spec", "job", "args")).containsExactly("--store", SnapshotChartTest.STORE, "--snapshot", snapshot);
        assertThat(deployments.withLabel("app.kubernetes.io/component", "dissection").list().getItems()).hasSize(1);

        // The operator reports the job's end in the status; the launcher reads it and deletes the resource.
        created.setAdditionalProperty("status", Map.of("jobStatus", Map.of("state", "FINISHED")));
        deployments.resource(created).updateStatus();
        assertThat(deployments.withName(created.getMetadata().getName()).get().<String>get("status", "jobStatus", "state")).isEqualTo("FINISHED");
        deployments.withName(created.getMetadata().getName()).delete();
        assertThat(deployments.list().getItems()).isEmpty();
    }

    private void installTheOperatorsCustomResourceDefinitions()
    {
        for (StructuralSchema schema : SCHEMAS.values()) {
            client.apiextensions().v1().customResourceDefinitions().resource(schema.definition()).create();
        }
    }

    private static String values(String variant)
    {
        return switch (variant) {
            case "defaults" -> Chart.BUCKET_ONLY;
            case "session mode" -> SnapshotChartTest.SESSION;
            case "IRSA with a ServiceMonitor" -> """
                    global:
                      wirelake:
                        store:
                          bucket: wirelake-test-lake
                          credentials:
                            roleArn: arn:aws:iam::123456789012:role/wirelake
                    collector:
                      metrics:
                        serviceMonitor:
                          enabled: true
                    trino:
                      serviceAccount:
                        create: true
                        annotations:
                          eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/wirelake-trino
                    """;
            case "a Secret, no Trino, no collector RBAC" -> """
                    global:
                      wirelake:
                        store:
                          bucket: wirelake-test-lake
                          endpoint: http://minio.storage.svc:9000
                          pathStyle: true
                          credentials:
                            secretName: wirelake-s3
                    collector:
                      rbac:
                        create: false
                    trino:
                      enabled: false
                    """;
            default -> throw new IllegalArgumentException(variant);
        };
    }

    /** The object as a tree without what the API server adds (uid, resourceVersion, timestamps, status). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutServerFields(HasMetadata object)
    {
        Map<String, Object> tree = new HashMap<>(SERIALIZATION.convertValue(object, Map.class));
        tree.remove("status");
        Map<String, Object> metadata = new HashMap<>((Map<String, Object>) tree.get("metadata"));
        metadata.keySet().retainAll(List.of("name", "namespace", "labels", "annotations"));
        tree.put("metadata", metadata);
        return tree;
    }
}
