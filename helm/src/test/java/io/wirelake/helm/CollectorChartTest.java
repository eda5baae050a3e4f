package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.wirelake.cli.Wirelake;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The collector DaemonSet, its account and RBAC, metrics, and the store's credentials. */
class CollectorChartTest
{
    static final String DAEMON_SET = "lake-wirelake-collector";

    @Test
    void capturesOnTheHostNetworkWithRawSocketCapabilitiesOnly()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        DaemonSet daemonSet = rendered.one(DaemonSet.class, DAEMON_SET);
        PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");

        Container collector = pod.getContainers().get(0);
        var security = collector.getSecurityContext();
        assertThat(security.getPrivileged()).isFalse();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_RAW", "NET_ADMIN");
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        // Every node, tainted ones too: a node without a collector is a node whose traffic is lost.
        assertThat(pod.getTolerations()).extracting(Toleration::getOperator, Toleration::getKey, Toleration::getEffect)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Exists", null, null));
        assertThat(collector.getResources().getRequests()).containsEntry("cpu", new Quantity("100m")).containsEntry("memory", new Quantity("512Mi"));
        assertThat(collector.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
        assertThat(pod.getVolumes()).anySatisfy(volume -> {
            assertThat(volume.getName()).isEqualTo("spool");
            assertThat(volume.getHostPath().getPath()).isEqualTo("/var/lib/wirelake/spool");
        });
        assertThat(collector.getImage()).isEqualTo("wirelake/wirelake:0.1.0");
    }

    @Test
    void runsTheRealCollectorCommandLine()
    {
        Container collector = collector(Chart.render(Chart.BUCKET_ONLY));
        assertThat(collector.getCommand()).containsExactly("/opt/wirelake/bin/wirelake");
        // The node's name comes from the downward API; Kubernetes expands $(NODE_NAME) in args.
        assertThat(collector.getEnv()).anySatisfy(variable -> {
            assertThat(variable.getName()).isEqualTo("NODE_NAME");
            assertThat(variable.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        });

        // The arguments as the command's own picocli model reads them: a renamed or removed
        // option in CollectorCommand fails here.
        CommandLine.ParseResult root = new CommandLine(new Wirelake()).parseArgs(collector.getArgs().toArray(String[]::new));
        assertThat(root.<String>matchedOptionValue("--store", null)).isEqualTo("s3://wirelake-test-lake/wirelake");
        CommandLine.ParseResult run = root.subcommand().subcommand();
        assertThat(root.subcommand().commandSpec().name()).isEqualTo("collector");
        assertThat(run.commandSpec().name()).isEqualTo("run");
        assertThat(run.<String>matchedOptionValue("--node", null)).isEqualTo("$(NODE_NAME)");
        assertThat(run.<String>matchedOptionValue("--interface", null)).isEqualTo("any");
        assertThat(run.<Integer>matchedOptionValue("--metrics-port", 0)).isEqualTo(9464);
        assertThat(run.<Long>matchedOptionValue("--rotate-seconds", 0L)).isEqualTo(60L);
        assertThat(run.<String>matchedOptionValue("--rotate-bytes", null)).isEqualTo("64MiB");
        assertThat(run.<String>matchedOptionValue("--kubernetes", null)).isEqualTo("on");
        assertThat(run.<String>matchedOptionValue("--kubernetes-scope", null)).isEqualTo("node");
        assertThat(run.<java.nio.file.Path>matchedOptionValue("--spool", null)).hasToString("/var/lib/wirelake/spool");
        assertThat(run.<String>matchedOptionValue("--spool-size", null)).isEqualTo("2GiB");
        assertThat(run.hasMatchedOption("--filter")).isFalse();

        Container filtered = collector(Chart.render(Chart.BUCKET_ONLY + """
                collector:
                  interface: eth0
                  filter: tcp or udp port 53
                  storageSize: 200GiB
                  extraArgs: [--metrics-address, 10.0.0.1]
                """));
        CommandLine.ParseResult filteredRun = new CommandLine(new Wirelake()).parseArgs(filtered.getArgs().toArray(String[]::new)).subcommand().subcommand();
        assertThat(filteredRun.<String>matchedOptionValue("--filter", null)).isEqualTo("tcp or udp port 53");
        assertThat(filteredRun.<String>matchedOptionValue("--interface", null)).isEqualTo("eth0");
        assertThat(filteredRun.<String>matchedOptionValue("--storage-size", null)).isEqualTo("200GiB");
        assertThat(filteredRun.<String>matchedOptionValue("--metrics-address", null)).isEqualTo("10.0.0.1");
    }

    @Test
    void watchesPodsServicesAndEndpointSlicesReadOnly()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        ClusterRole role = rendered.one(ClusterRole.class, "lake-wirelake-collector-traffic");
        assertThat(role.getRules()).extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of(""), List.of("pods", "services"), List.of("get", "list", "watch")),
                org.assertj.core.groups.Tuple.tuple(List.of("discovery.k8s.io"), List.of("endpointslices"), List.of("get", "list", "watch")));
        ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class, "lake-wirelake-collector-traffic");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        String account = rendered.one(DaemonSet.class, DAEMON_SET).getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account);
            assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
        });
        assertThat(rendered.one(ServiceAccount.class, account).getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void metricsAreAnnotatedForPrometheusAndAServiceMonitorIsOptional()
    {
        Rendered plain = Chart.render(Chart.BUCKET_ONLY);
        DaemonSet daemonSet = plain.one(DaemonSet.class, DAEMON_SET);
        assertThat(daemonSet.getSpec().getTemplate().getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "prometheus.io/scrape", "true", "prometheus.io/port", "9464", "prometheus.io/path", "/metrics"));
        assertThat(collector(plain).getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("metrics");
            assertThat(port.getContainerPort()).isEqualTo(9464);
        });
        assertThat(plain.generic("ServiceMonitor")).isEmpty();
        assertThat(plain.all(Service.class)).noneMatch(service -> service.getMetadata().getName().startsWith("lake-wirelake"));

        Rendered monitored = Chart.render(Chart.BUCKET_ONLY + """
                collector:
                  metrics:
                    serviceMonitor:
                      enabled: true
                      labels:
                        release: kube-prometheus-stack
                """);
        GenericKubernetesResource monitor = monitored.generic("ServiceMonitor").get(0);
        StructuralSchema schema = StructuralSchema.load("monitoring.coreos.com_servicemonitors.yaml", "v1");
        assertThat(schema.violations(tree(monitored, monitor))).isEmpty();
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");

        // The ServiceMonitor selects the Service, whose selector selects the collector pods on their metrics port.
        Service service = monitored.one(Service.class, "lake-wirelake-collector-metrics");
        @SuppressWarnings("unchecked")
        Map<String, String> monitorSelector = (Map<String, String>) ((Map<String, Object>) monitor.get("spec", "selector")).get("matchLabels");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitorSelector);
        assertThat(monitored.one(DaemonSet.class, DAEMON_SET).getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("metrics"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) monitor.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(endpoint -> assertThat(endpoint).containsEntry("port", "metrics").containsEntry("path", "/metrics"));
    }

    @Test
    void metricsCanBeTurnedOffButNotUnderAServiceMonitor()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY + """
                collector:
                  metrics:
                    port: -1
                """);
        Container collector = collector(rendered);
        assertThat(collector.getPorts()).isEmpty();
        assertThat(rendered.one(DaemonSet.class, DAEMON_SET).getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
        CommandLine.ParseResult run = new CommandLine(new Wirelake()).parseArgs(collector.getArgs().toArray(String[]::new)).subcommand().subcommand();
        assertThat(run.<Integer>matchedOptionValue("--metrics-port", 0)).isEqualTo(-1);

        assertThatThrownBy(() -> Chart.render(Chart.BUCKET_ONLY + """
                collector:
                  metrics:
                    port: -1
                    serviceMonitor:
                      enabled: true
                """)).hasMessageContaining("collector.metrics.serviceMonitor.enabled needs the metrics endpoint");
    }

    @Test
    void irsaAnnotatesEveryServiceAccountAndPassesNoKeys()
    {
        String role = "arn:aws:iam::123456789012:role/wirelake";
        Rendered rendered = Chart.render("""
                global:
                  wirelake:
                    store:
                      bucket: wirelake-test-lake
                      credentials:
                        roleArn: %s
                collector:
                  serviceAccount:
                    roleArn: arn:aws:iam::123456789012:role/wirelake-collector
                """.formatted(role));
        Map<String, String> roles = rendered.all(ServiceAccount.class).stream()
                .filter(account -> account.getMetadata().getName().startsWith("lake-wirelake"))
                .collect(java.util.stream.Collectors.toMap(account -> account.getMetadata().getName(),
                        account -> account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn")));
        assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of(
                "lake-wirelake-collector", "arn:aws:iam::123456789012:role/wirelake-collector",
                "lake-wirelake-snapshot", role,
                "lake-wirelake-flink", role));
        assertThat(collector(rendered).getEnv()).extracting(EnvVar::getName).doesNotContain("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void aSecretPassesKeysByReferenceOnly()
    {
        Rendered rendered = Chart.render("""
                global:
                  wirelake:
                    store:
                      bucket: wirelake-test-lake
                      region: eu-west-1
                      endpoint: https://minio.storage.svc:9000
                      pathStyle: true
                      credentials:
                        secretName: wirelake-s3
                """);
        List<EnvVar> environment = collector(rendered).getEnv();
        assertThat(value(environment, "WIRELAKE_S3_REGION")).contains("eu-west-1");
        assertThat(value(environment, "WIRELAKE_S3_ENDPOINT")).contains("https://minio.storage.svc:9000");
        assertThat(value(environment, "WIRELAKE_S3_PATH_STYLE")).contains("true");
        for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
            EnvVar variable = environment.stream().filter(candidate -> candidate.getName().equals(key)).findFirst().orElseThrow();
            assertThat(variable.getValue()).isNull();
            assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("wirelake-s3");
            assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
        }
        assertThat(rendered.all(ServiceAccount.class)).allSatisfy(account ->
                assertThat(Optional.ofNullable(account.getMetadata().getAnnotations()).orElse(Map.of())).doesNotContainKey("eks.amazonaws.com/role-arn"));
    }

    @Test
    void turnedOffRendersNoCollector()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY + """
                collector:
                  enabled: false
                """);
        assertThat(rendered.all(DaemonSet.class)).isEmpty();
        assertThat(rendered.all(ClusterRole.class)).isEmpty();
        assertThat(rendered.names()).noneMatch(name -> name.contains("collector"));
    }

    static Container collector(Rendered rendered)
    {
        return rendered.one(DaemonSet.class, DAEMON_SET).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Optional<String> value(List<EnvVar> environment, String name)
    {
        return environment.stream().filter(variable -> variable.getName().equals(name)).map(EnvVar::getValue).findFirst();
    }

    static Map<String, Object> tree(Rendered rendered, GenericKubernetesResource resource)
    {
        return rendered.items().stream().filter(item -> item.object() == resource).findFirst().orElseThrow().tree();
    }
}
