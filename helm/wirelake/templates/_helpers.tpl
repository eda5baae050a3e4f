{{/*
Names, labels, and the settings several templates share.
*/}}

{{- define "wirelake.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wirelake.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* A component's name: <fullname>-<component>, within the 63 characters Kubernetes allows. */}}
{{- define "wirelake.componentName" -}}
{{- $fullname := include "wirelake.fullname" .context | trunc (int (sub 62 (len .component))) | trimSuffix "-" }}
{{- printf "%s-%s" $fullname .component }}
{{- end }}

{{- define "wirelake.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wirelake.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "wirelake.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .context.Chart.Name .context.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "wirelake.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: wirelake
{{- end }}

{{/*
The store's URL, s3://<bucket>/<prefix>. It reads global values only, so the Trino subchart's
catalog text (rendered with tpl in the subchart's context) can include it too.
*/}}
{{- define "wirelake.storeUrl" -}}
{{- $store := .Values.global.wirelake.store }}
{{- $bucket := required "global.wirelake.store.bucket is required: the S3 bucket that holds the lake" $store.bucket }}
{{- $prefix := trimAll "/" (default "" $store.prefix) }}
{{- if $prefix }}
{{- printf "s3://%s/%s" $bucket $prefix }}
{{- else }}
{{- printf "s3://%s" $bucket }}
{{- end }}
{{- end }}

{{/* An image reference: repository:tag, the tag defaulting to the appVersion. Called with (dict "image" ... "context" .). */}}
{{- define "wirelake.image" -}}
{{- printf "%s:%s" .image.repository (default .context.Chart.AppVersion .image.tag) }}
{{- end }}

{{/*
The store's settings and credentials as container environment: the WIRELAKE_S3_* variables the
command reads, AWS_REGION for the AWS SDKs, and with a Secret its keys (never the values).
*/}}
{{- define "wirelake.storeEnv" -}}
{{- $store := .Values.global.wirelake.store }}
- name: WIRELAKE_S3_REGION
  value: {{ $store.region | quote }}
- name: AWS_REGION
  value: {{ $store.region | quote }}
{{- with $store.endpoint }}
- name: WIRELAKE_S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: WIRELAKE_S3_PATH_STYLE
  value: {{ $store.pathStyle | quote }}
{{- with $store.credentials.secretName }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: AWS_ACCESS_KEY_ID
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: AWS_SECRET_ACCESS_KEY
- name: AWS_SESSION_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: AWS_SESSION_TOKEN
      optional: true
{{- end }}
{{- end }}

{{/*
A service account's annotations: its own, plus the IRSA role (its own roleArn, else the global one).
Called with (dict "serviceAccount" .Values.<component>.serviceAccount "context" .).
*/}}
{{- define "wirelake.serviceAccountAnnotations" -}}
{{- $annotations := deepCopy (default dict .serviceAccount.annotations) }}
{{- $roleArn := default .context.Values.global.wirelake.store.credentials.roleArn .serviceAccount.roleArn }}
{{- if $roleArn }}
{{- $_ := set $annotations "eks.amazonaws.com/role-arn" $roleArn }}
{{- end }}
{{- if $annotations }}
annotations:
  {{- toYaml $annotations | nindent 2 }}
{{- end }}
{{- end }}

{{/* Whether IRSA is in use for a component: its own roleArn or the global one. */}}
{{- define "wirelake.usesIrsa" -}}
{{- if default .context.Values.global.wirelake.store.credentials.roleArn .serviceAccount.roleArn }}true{{ end }}
{{- end }}

{{- define "wirelake.collector.serviceAccountName" -}}
{{- default (include "wirelake.componentName" (dict "context" . "component" "collector")) .Values.collector.serviceAccount.name }}
{{- end }}

{{- define "wirelake.snapshot.serviceAccountName" -}}
{{- default (include "wirelake.componentName" (dict "context" . "component" "snapshot")) .Values.snapshot.serviceAccount.name }}
{{- end }}

{{- define "wirelake.flink.serviceAccountName" -}}
{{- default (include "wirelake.componentName" (dict "context" . "component" "flink")) .Values.dissection.serviceAccount.name }}
{{- end }}

{{/* The Service of this chart's Trino, named as the Trino chart's own trino.fullname names it. */}}
{{- define "wirelake.trinoServiceName" -}}
{{- $name := default "trino" .Values.trino.nameOverride }}
{{- if .Values.trino.fullnameOverride }}
{{- .Values.trino.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if hasPrefix .Release.Name $name }}
{{- $name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The Trino the snapshot job registers tables in: snapshot.trinoUrl, else this chart's Trino. */}}
{{- define "wirelake.trinoUrl" -}}
{{- if .Values.snapshot.trinoUrl }}
{{- .Values.snapshot.trinoUrl }}
{{- else if .Values.trino.enabled }}
{{- printf "http://%s.%s.svc:%v" (include "wirelake.trinoServiceName" .) .Release.Namespace (dig "service" "port" 8080 .Values.trino) }}
{{- end }}
{{- end }}

{{/* The session cluster's FlinkDeployment name (session mode). */}}
{{- define "wirelake.sessionClusterName" -}}
{{- include "wirelake.componentName" (dict "context" . "component" "flink-session") }}
{{- end }}
