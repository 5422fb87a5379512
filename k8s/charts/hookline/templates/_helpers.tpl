{{/*
Names, labels and the shared pieces of every Hookline workload. Conventions follow the
Bitnami charts: app.kubernetes.io/* labels, <release>-<chart> full names truncated to 63
characters, selector labels that never change after install.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "hookline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: fullnameOverride, or <release>-<chart> (just <release> when it already holds the chart name). */}}
{{- define "hookline.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "hookline.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hookline.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The four services. Key: their block in values.yaml. portEnv: the variable their config reads
the port from (apps/<service>/src/config). calls: the services they send HTTP requests to
(the gateway forwards the management API; mapping's preview reads samples from
schema-discovery), which the NetworkPolicies allow and nothing else.
*/}}
{{- define "hookline.components" -}}
ingressGateway:
  name: ingress-gateway
  portEnv: PORT
  calls: [schemaDiscovery, mapping, journeyTrigger]
schemaDiscovery:
  name: schema-discovery
  portEnv: SCHEMA_DISCOVERY_PORT
  calls: []
mapping:
  name: mapping
  portEnv: MAPPING_PORT
  calls: [schemaDiscovery]
journeyTrigger:
  name: journey-trigger
  portEnv: JOURNEY_TRIGGER_PORT
  calls: []
{{- end -}}

{{/* <fullname>-<component>. Call with (dict "root" $ "component" "mapping"). */}}
{{- define "hookline.componentName" -}}
{{- printf "%s-%s" (include "hookline.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. Call with (dict "root" $ "component" "<name or empty>"). */}}
{{- define "hookline.labels" -}}
helm.sh/chart: {{ include "hookline.chart" .root }}
{{ include "hookline.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: hookline
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The labels selectors use: stable for the life of a release. */}}
{{- define "hookline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hookline.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{/* An image reference. Call with (dict "root" $ "image" .Values.<component>.image). */}}
{{- define "hookline.image" -}}
{{- $registry := .root.Values.global.imageRegistry | default .image.registry | default .root.Values.image.registry -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- $ref := .image.repository -}}
{{- if $registry -}}{{- $ref = printf "%s/%s" $registry $ref -}}{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (toString $tag) -}}
{{- end -}}
{{- end -}}

{{- define "hookline.imagePullSecrets" -}}
{{- $secrets := concat (.Values.global.imagePullSecrets | default list) (.Values.image.pullSecrets | default list) | uniq -}}
{{- if $secrets -}}
imagePullSecrets:
{{- range $secrets }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "hookline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "hookline.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret the chart generates (when any secret is not taken from an existing one). */}}
{{- define "hookline.secretName" -}}
{{- include "hookline.fullname" . -}}
{{- end -}}

{{- define "hookline.createSecret" -}}
{{- if or (not .Values.auth.existingSecret) (not .Values.database.existingSecret) -}}true{{- end -}}
{{- end -}}

{{- define "hookline.authSecretName" -}}
{{- default (include "hookline.secretName" .) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "hookline.databaseSecretName" -}}
{{- default (include "hookline.secretName" .) .Values.database.existingSecret -}}
{{- end -}}

{{- define "hookline.databaseSecretKey" -}}
{{- if .Values.database.existingSecret -}}{{ .Values.database.existingSecretKey }}{{- else -}}database-url{{- end -}}
{{- end -}}

{{/* The base URL trigger URLs are built from: publicBaseUrl, else the Ingress host. */}}
{{- define "hookline.publicBaseUrl" -}}
{{- if .Values.publicBaseUrl -}}
{{- .Values.publicBaseUrl | trimSuffix "/" -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hostname -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.hostname -}}
{{- end -}}
{{- end -}}

{{/* The URL of a component's Service. Call with (dict "root" $ "key" "mapping"). */}}
{{- define "hookline.serviceUrl" -}}
{{- $c := index (include "hookline.components" .root | fromYaml) .key -}}
{{- $v := index .root.Values .key -}}
{{- printf "http://%s.%s.svc:%v" (include "hookline.componentName" (dict "root" .root "component" $c.name)) (include "hookline.namespace" .root) $v.service.port -}}
{{- end -}}

{{/* The broker ports in kafka.brokers ("host:port,host:port"), for the egress NetworkPolicy. */}}
{{- define "hookline.kafkaPorts" -}}
{{- $ports := list -}}
{{- range (splitList "," .Values.kafka.brokers) -}}
{{- $ports = append $ports (int (last (splitList ":" (trim .)))) -}}
{{- end -}}
{{- toYaml (dict "ports" (.Values.networkPolicy.egress.kafka.ports | default ($ports | uniq))) -}}
{{- end -}}

{{/*
The environment of one service, exactly what its config schema reads (apps/<service>/src/config and
libs/config): the common variables, its port and HOST, the URLs of the services it calls,
and the secrets by reference. Used by its Deployment and by the migration Job (migrate
validates the whole configuration). Call with (dict "root" $ "key" "<values key>").
*/}}
{{- define "hookline.env" -}}
{{- $root := .root -}}
{{- $c := index (include "hookline.components" $root | fromYaml) .key -}}
{{- $v := index $root.Values .key -}}
{{- $auth := include "hookline.authSecretName" $root -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "hookline.databaseSecretName" $root }}
      key: {{ include "hookline.databaseSecretKey" $root }}
- name: KAFKA_BROKERS
  value: {{ $root.Values.kafka.brokers | quote }}
- name: KAFKA_TOPIC_PREFIX
  value: {{ $root.Values.kafka.topicPrefix | quote }}
- name: KAFKA_CLIENT_ID_PREFIX
  value: {{ $root.Values.kafka.clientIdPrefix | quote }}
- name: HOOKLINE_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $auth }}
      key: {{ $root.Values.auth.secretKeys.internalToken }}
- name: LOG_LEVEL
  value: {{ $root.Values.logLevel | quote }}
# Every service listens on all interfaces in the pod (the internal ones default to 127.0.0.1).
- name: HOST
  value: "0.0.0.0"
- name: {{ $c.portEnv }}
  value: {{ $v.containerPort | quote }}
{{- if eq .key "ingressGateway" }}
{{- with (include "hookline.publicBaseUrl" $root) }}
- name: PUBLIC_BASE_URL
  value: {{ . | quote }}
{{- end }}
- name: HOOKLINE_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $auth }}
      key: {{ $root.Values.auth.secretKeys.adminToken }}
- name: HOOKLINE_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $auth }}
      key: {{ $root.Values.auth.secretKeys.encryptionKey }}
- name: HOOKLINE_ENCRYPTION_PREVIOUS_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ $auth }}
      key: {{ $root.Values.auth.secretKeys.previousEncryptionKeys }}
      optional: true
- name: SHUTDOWN_GRACE_MS
  value: {{ $v.shutdownGraceMs | quote }}
{{- end }}
{{- range $callee := $c.calls }}
- name: {{ printf "%s_URL" (index (include "hookline.components" $root | fromYaml) $callee).name | upper | replace "-" "_" }}
  value: {{ include "hookline.serviceUrl" (dict "root" $root "key" $callee) | quote }}
{{- end }}
{{- with $v.extraEnvVars }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The writable /tmp every container gets (the root filesystem is read-only). */}}
{{- define "hookline.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolumeSizeLimit }}
{{- end -}}
