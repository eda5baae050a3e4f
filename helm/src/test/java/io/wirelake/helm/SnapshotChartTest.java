package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static io.wirelake.helm.CollectorChartTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The daily snapshot CronJob, its RBAC, and the Flink resources its dissection runs as. */
class SnapshotChartTest
{
    static final String CRON_JOB = "lake-wirelake-snapshot";
    static final String TEMPLATE = "lake-wirelake-dissection";
    static final String STORE = "s3://wirelake-test-lake/wirelake";
    static final String SESSION = Chart.BUCKET_ONLY + """
            dissection:
              mode: session
              jarURI: local:///opt/flink/usrlib/wirelake-flink-job.jar
              session:
                jarURI: https://artifacts.example.com/wirelake-flink-job-0.1.0.jar
            """;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final StructuralSchema FLINK_DEPLOYMENT = StructuralSchema.load("flinkdeployments.flink.apache.org-v1.yml", "v1beta1");
    private static final StructuralSchema FLINK_SESSION_JOB = StructuralSchema.load("flinksessionjobs.flink.apache.org-v1.yml", "v1beta1");

    @Test
    void runsScheduleRunOnceDailyNeverTwiceAtOnce()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        CronJob cronJob = rendered.one(CronJob.class, CRON_JOB);
        var spec = cronJob.getSpec();
        assertThat(spec.getSchedule()).isEqualTo("30 0 * * *");
        assertThat(spec.getTimeZone()).isEqualTo("UTC");
        assertThat(spec.getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(spec.getStartingDeadlineSeconds()).isEqualTo(3600L);
        assertThat(spec.getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        assertThat(spec.getFailedJobsHistoryLimit()).isEqualTo(5);
        JobSpec job = spec.getJobTemplate().getSpec();
        assertThat(job.getBackoffLimit()).isEqualTo(1);
        assertThat(job.getActiveDeadlineSeconds()).isEqualTo(21600L);
        assertThat(job.getTtlSecondsAfterFinished()).isEqualTo(604800);
        PodSpec pod = job.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        Container container = pod.getContainers().get(0);
        assertThat(container.getCommand()).containsExactly("/opt/wirelake/bin/wirelake");
        assertThat(container.getArgs()).containsExactly("--store", STORE, "schedule", "run", "--once");
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();

        CronJob changed = Chart.render(Chart.BUCKET_ONLY + """
                snapshot:
                  schedule: "0 3 * * 1-5"
                  timeZone: Europe/Paris
                  args: [schedule, run, --once, --window, 24h]
                  activeDeadlineSeconds: 7200
                """).one(CronJob.class, CRON_JOB);
        assertThat(changed.getSpec().getSchedule()).isEqualTo("0 3 * * 1-5");
        assertThat(changed.getSpec().getTimeZone()).isEqualTo("Europe/Paris");
        assertThat(changed.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
        assertThat(changed.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsExactly("--store", STORE, "schedule", "run", "--once", "--window", "24h");
    }

    @Test
    void mayCreateFollowAndDeleteFlinkResourcesInItsNamespaceOnly()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        Role role = rendered.one(Role.class, "lake-wirelake-snapshot");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        assertThat(role.getRules()).extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs).containsExactly(
                tuple(List.of("flink.apache.org"), List.of("flinkdeployments", "flinksessionjobs"), List.of("create", "get", "list", "watch", "delete")));
        RoleBinding binding = rendered.one(RoleBinding.class, "lake-wirelake-snapshot");
        String account = rendered.one(CronJob.class, CRON_JOB).getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo("lake-wirelake-snapshot");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> assertThat(subject.getName()).isEqualTo(account));

        // The JobManager's account: what Flink's native Kubernetes mode needs, as the operator's own `flink` account.
        Role flink = rendered.one(Role.class, "lake-wirelake-flink");
        assertThat(flink.getRules()).extracting(PolicyRule::getApiGroups, PolicyRule::getResources).containsExactly(
                tuple(List.of(""), List.of("pods", "configmaps")),
                tuple(List.of("apps"), List.of("deployments", "deployments/finalizers")));
        assertThat(flink.getRules()).allSatisfy(rule -> assertThat(rule.getVerbs())
                .containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete"));
    }

    @Test
    void aRunWritesNoClassArchiveInItsShortLivedPodUnlessAsked()
    {
        // Off unless asked: a pod is new every run, so only an archive the image carries could be mapped.
        Container byDefault = cronJobContainer(Chart.render(Chart.BUCKET_ONLY));
        assertThat(value(byDefault.getEnv(), "WIRELAKE_CDS")).contains("off");
        Container carried = cronJobContainer(Chart.render(Chart.BUCKET_ONLY + """
                snapshot:
                  classArchive: auto
                """));
        assertThat(value(carried.getEnv(), "WIRELAKE_CDS")).contains("auto");
    }

    @Test
    void applicationModeTemplateIsABatchFlinkDeploymentOfTheWirelakeJob()
            throws Exception
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        Container container = rendered.one(CronJob.class, CRON_JOB).getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(value(container.getEnv(), "WIRELAKE_DISSECTION_MODE")).contains("application");
        assertThat(value(container.getEnv(), "WIRELAKE_DISSECTION_TEMPLATE")).contains("/etc/wirelake/dissection/flinkdeployment.yaml");
        assertMounted(rendered, container, "flinkdeployment.yaml");

        Map<String, Object> tree = template(rendered, "flinkdeployment.yaml");
        assertThat(FLINK_DEPLOYMENT.violations(tree)).isEmpty();
        GenericKubernetesResource deployment = SERIALIZATION.convertValue(tree, GenericKubernetesResource.class);
        assertThat(deployment.getMetadata().getName()).isEqualTo("lake-wirelake-dissect");
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        assertThat((String) deployment.get("spec", "image")).isEqualTo("wirelake/flink-job:0.1.0");
        assertThat((String) deployment.get("spec", "flinkVersion")).isEqualTo("v2_2");
        assertThat((String) deployment.get("spec", "mode")).isEqualTo("native");
        assertThat((String) deployment.get("spec", "serviceAccount")).isEqualTo("lake-wirelake-flink");
        assertThat(configuration(deployment)).containsEntry("execution.runtime-mode", "BATCH")
                .containsEntry("taskmanager.numberOfTaskSlots", "2")
                .containsEntry("s3.endpoint.region", "us-east-1")
                .doesNotContainKey("s3.aws.credentials.provider");
        assertThat((String) deployment.get("spec", "jobManager", "resource", "memory")).isEqualTo("2048m");
        assertThat((String) deployment.get("spec", "taskManager", "resource", "memory")).isEqualTo("4096m");

        assertThat((String) deployment.get("spec", "job", "jarURI")).isEqualTo("local:///opt/flink/usrlib/wirelake-flink-job.jar");
        String entryClass = deployment.get("spec", "job", "entryClass");
        assertThat(entryClass).isEqualTo("io.wirelake.dissect.job.DissectionJobMain");
        // The class the job image runs exists, with the main method Flink calls.
        Method main = Class.forName(entryClass).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        assertThat(deployment.<List<Object>>get("spec", "job", "args")).containsExactly("--store", STORE, "--snapshot", "${SNAPSHOT}");
        assertThat((Integer) deployment.get("spec", "job", "parallelism")).isEqualTo(4);
        assertThat((String) deployment.get("spec", "job", "upgradeMode")).isEqualTo("stateless");
        assertThat((String) deployment.get("spec", "job", "state")).isEqualTo("running");
        assertThat(rendered.generic("FlinkDeployment")).as("no standing cluster in application mode").isEmpty();
    }

    @Test
    void valuesShapeTheJob()
    {
        Rendered rendered = Chart.render("""
                global:
                  wirelake:
                    store:
                      bucket: wirelake-test-lake
                      prefix: /lakes/prod/
                      endpoint: http://minio.storage.svc:9000
                      pathStyle: true
                      credentials:
                        roleArn: arn:aws:iam::123456789012:role/wirelake
                dissection:
                  parallelism: 16
                  taskSlots: 4
                  image:
                    repository: registry.example.com/wirelake/flink-job
                    tag: 0.1.0-build7
                  args: [--store, '{{ include "wirelake.storeUrl" . }}', --snapshot, '${SNAPSHOT}', --body-cap, 64KiB]
                  flinkConfiguration:
                    taskmanager.memory.managed.fraction: 0.1
                """);
        Map<String, Object> tree = template(rendered, "flinkdeployment.yaml");
        assertThat(FLINK_DEPLOYMENT.violations(tree)).isEmpty();
        GenericKubernetesResource deployment = SERIALIZATION.convertValue(tree, GenericKubernetesResource.class);
        assertThat((Integer) deployment.get("spec", "job", "parallelism")).isEqualTo(16);
        assertThat((String) deployment.get("spec", "image")).isEqualTo("registry.example.com/wirelake/flink-job:0.1.0-build7");
        assertThat(deployment.<List<Object>>get("spec", "job", "args"))
                .containsExactly("--store", "s3://wirelake-test-lake/lakes/prod", "--snapshot", "${SNAPSHOT}", "--body-cap", "64KiB");
        assertThat(configuration(deployment)).containsEntry("taskmanager.numberOfTaskSlots", "4")
                .containsEntry("taskmanager.memory.managed.fraction", "0.1")
                .containsEntry("s3.endpoint", "http://minio.storage.svc:9000")
                .containsEntry("s3.path.style.access", "true")
                // Hadoop's S3A does not read the IRSA token unless told to.
                .containsEntry("s3.aws.credentials.provider", "com.amazonaws.auth.WebIdentityTokenCredentialsProvider");
    }

    @Test
    void sessionModeRunsAStandingClusterAndOneSessionJobPerSnapshot()
    {
        Rendered rendered = Chart.render(SESSION);
        List<GenericKubernetesResource> clusters = rendered.generic("FlinkDeployment");
        assertThat(clusters).singleElement().satisfies(cluster -> {
            assertThat(cluster.getMetadata().getName()).isEqualTo("lake-wirelake-flink-session");
            assertThat(FLINK_DEPLOYMENT.violations(CollectorChartTest.tree(rendered, cluster))).isEmpty();
            assertThat((Object) cluster.get("spec", "job")).as("a session cluster has no job of its own").isNull();
            assertThat(configuration(cluster)).containsEntry("execution.runtime-mode", "BATCH");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> environment = (List<Map<String, Object>>) ((List<Map<String, Object>>) cluster.get("spec", "podTemplate", "spec", "containers")).get(0).get("env");
            assertThat(environment).contains(Map.of("name", "HADOOP_CLASSPATH", "value", "/opt/flink/usrlib/*"));
        });

        Container container = rendered.one(CronJob.class, CRON_JOB).getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(value(container.getEnv(), "WIRELAKE_DISSECTION_MODE")).contains("session");
        assertThat(value(container.getEnv(), "WIRELAKE_DISSECTION_TEMPLATE")).contains("/etc/wirelake/dissection/flinksessionjob.yaml");
        assertMounted(rendered, container, "flinksessionjob.yaml");

        Map<String, Object> tree = template(rendered, "flinksessionjob.yaml");
        assertThat(FLINK_SESSION_JOB.violations(tree)).isEmpty();
        GenericKubernetesResource sessionJob = SERIALIZATION.convertValue(tree, GenericKubernetesResource.class);
        assertThat((String) sessionJob.get("spec", "deploymentName")).isEqualTo("lake-wirelake-flink-session");
        assertThat((String) sessionJob.get("spec", "job", "jarURI")).isEqualTo("https://artifacts.example.com/wirelake-flink-job-0.1.0.jar");
        assertThat((String) sessionJob.get("spec", "job", "entryClass")).isEqualTo("io.wirelake.dissect.job.DissectionJobMain");
        assertThat(sessionJob.<List<Object>>get("spec", "job", "args")).containsExactly("--store", STORE, "--snapshot", "${SNAPSHOT}");
    }

    @Test
    void registersTablesInTheChartsOwnTrino()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        String url = value(cronJobContainer(rendered).getEnv(), "WIRELAKE_TRINO_URL").orElseThrow();
        // The URL names the Service the Trino chart renders, on its port.
        URI uri = URI.create(url);
        String serviceName = uri.getHost().substring(0, uri.getHost().indexOf('.'));
        assertThat(uri.getHost()).isEqualTo(serviceName + "." + Chart.NAMESPACE + ".svc");
        Service service = rendered.one(Service.class, serviceName);
        assertThat(service.getSpec().getPorts()).anySatisfy(port -> assertThat(port.getPort()).isEqualTo(uri.getPort()));
        assertThat(service.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "coordinator");

        Rendered external = Chart.render(Chart.BUCKET_ONLY + """
                trino:
                  enabled: false
                """);
        assertThat(value(cronJobContainer(external).getEnv(), "WIRELAKE_TRINO_URL")).isEmpty();
        Rendered elsewhere = Chart.render(Chart.BUCKET_ONLY + """
                snapshot:
                  trinoUrl: https://trino.analytics.example.com:8443
                trino:
                  enabled: false
                """);
        assertThat(value(cronJobContainer(elsewhere).getEnv(), "WIRELAKE_TRINO_URL")).contains("https://trino.analytics.example.com:8443");
    }

    static Container cronJobContainer(Rendered rendered)
    {
        return rendered.one(CronJob.class, CRON_JOB).getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The resource template the launcher reads, from the ConfigMap, as a plain tree. */
    static Map<String, Object> template(Rendered rendered, String key)
    {
        ConfigMap configMap = rendered.one(ConfigMap.class, TEMPLATE);
        assertThat(configMap.getData()).containsOnlyKeys(key);
        return Chart.yaml(configMap.getData().get(key));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> configuration(GenericKubernetesResource deployment)
    {
        return (Map<String, String>) (Map<String, ?>) deployment.get("spec", "flinkConfiguration");
    }

    private static void assertMounted(Rendered rendered, Container container, String key)
    {
        PodSpec pod = rendered.one(CronJob.class, CRON_JOB).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/wirelake/dissection");
            String volume = mount.getName();
            assertThat(pod.getVolumes()).anySatisfy(candidate -> {
                assertThat(candidate.getName()).isEqualTo(volume);
                assertThat(candidate.getConfigMap().getName()).isEqualTo(TEMPLATE);
            });
        });
        assertThat(rendered.one(ConfigMap.class, TEMPLATE).getData()).containsKey(key);
    }
}
