{{/*
The Flink pieces both modes share.
*/}}

{{/* flinkConfiguration: BATCH, the slots, S3 through flink-s3-fs-hadoop, and the user's extras. */}}
{{- define "wirelake.flinkConfiguration" -}}
{{- $dissection := .Values.dissection }}
{{- $store := .Values.global.wirelake.store }}
{{- $configuration := dict
    "execution.runtime-mode" "BATCH"
    "taskmanager.numberOfTaskSlots" (toString $dissection.taskSlots)
    "kubernetes.operator.jm-deployment.shutdown-ttl" $dissection.jobManagerShutdownTtl
}}
{{- $_ := set $configuration "s3.endpoint.region" $store.region }}
{{- with $store.endpoint }}
{{- $_ := set $configuration "s3.endpoint" . }}
{{- end }}
{{- $_ := set $configuration "s3.path.style.access" (toString $store.pathStyle) }}
{{- if include "wirelake.usesIrsa" (dict "serviceAccount" $dissection.serviceAccount "context" .) }}
{{- /* Hadoop's S3A does not look for a web identity token by itself; IRSA needs this provider. */}}
{{- $_ := set $configuration "s3.aws.credentials.provider" "com.amazonaws.auth.WebIdentityTokenCredentialsProvider" }}
{{- end }}
{{- range $key, $value := $dissection.flinkConfiguration }}
{{- $_ := set $configuration $key (toString $value) }}
{{- end }}
{{- toYaml $configuration }}
{{- end }}

{{/* The cluster part of a FlinkDeployment's spec (image, version, account, resources, pods). */}}
{{- define "wirelake.flinkClusterSpec" -}}
{{- $dissection := .Values.dissection }}
image: {{ include "wirelake.image" (dict "image" $dissection.image "context" .) }}
imagePullPolicy: {{ $dissection.image.pullPolicy }}
flinkVersion: {{ $dissection.flinkVersion }}
serviceAccount: {{ include "wirelake.flink.serviceAccountName" . }}
flinkConfiguration:
  {{- include "wirelake.flinkConfiguration" . | nindent 2 }}
jobManager:
  resource:
    {{- toYaml $dissection.jobManager.resource | nindent 4 }}
taskManager:
  resource:
    {{- toYaml $dissection.taskManager.resource | nindent 4 }}
podTemplate:
  metadata:
    labels:
      {{- include "wirelake.selectorLabels" (dict "context" . "component" "dissection") | nindent 6 }}
  spec:
    {{- with .Values.imagePullSecrets }}
    imagePullSecrets:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    containers:
      # The operator merges this into the JobManager's and TaskManagers' main container.
      - name: flink-main-container
        env:
          {{- include "wirelake.storeEnv" . | trim | nindent 10 }}
{{- end }}

{{/*
The job part: the job jar, DissectionJobMain, its arguments (each through tpl).
Called with (dict "context" . "jarURI" ...).
*/}}
{{- define "wirelake.flinkJobSpec" -}}
{{- $context := .context }}
{{- $dissection := $context.Values.dissection }}
jarURI: {{ .jarURI }}
entryClass: {{ $dissection.entryClass }}
args:
  {{- range $dissection.args }}
  - {{ tpl . $context | quote }}
  {{- end }}
parallelism: {{ $dissection.parallelism }}
upgradeMode: stateless
state: running
{{- end }}
