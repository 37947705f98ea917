{{/*
The operator's permissions, identical to crds/operator-rbac.yaml (tests/WsPool.Install.Tests compares them; the
operator tests check that file against every request the operator made). No wildcards. Keep the rule lines free of
template actions so the test can read them as YAML.
*/}}
{{- define "wspool-operator.rules" }}
- apiGroups: ["wspool.dev"]
  resources: ["websocketpools"]
  verbs: ["list", "watch"]
- apiGroups: ["wspool.dev"]
  resources: ["websocketpools/status"]
  verbs: ["patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["services", "configmaps"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "patch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["list", "watch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* Cluster-scoped reads: a namespaced install grants them with a small ClusterRole of their own. */}}
{{- define "wspool-operator.clusterScopedRules" }}
- apiGroups: ["networking.k8s.io"]
  resources: ["ingressclasses"]
  verbs: ["get"]
{{- end }}

{{- define "wspool-operator.leaderElectionRules" }}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end }}
