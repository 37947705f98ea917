using System.Globalization;
using System.Text.Json.Nodes;
using WsPool.KubeEmulator.Errors;
using WsPool.KubeEmulator.Json;
using WsPool.KubeEmulator.Registry;
using WsPool.KubeEmulator.Resources;
using WsPool.KubeEmulator.Storage;

namespace WsPool.KubeEmulator.Controllers;

/// <summary>
/// One sync of a Deployment when workloads are simulated, as the Deployment documentation describes the
/// controller: the ReplicaSet whose template is the Deployment's is the new one (created as
/// <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c> when missing, with the next revision), every other one it
/// controls is old. RollingUpdate grows the new and shrinks the old within maxSurge/maxUnavailable; Recreate scales
/// the old to 0 and waits until their pods are gone before it creates the new; a paused Deployment only follows
/// replica changes. Each sync takes one step and ends by writing the status; the ReplicaSets' own status changes
/// bring the next sync. Old ReplicaSets beyond revisionHistoryLimit are deleted once a rollout completes.
/// </summary>
internal sealed class DeploymentRollout(ObjectRegistry registry, TimeProvider time)
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    /// <summary>Syncs the Deployment; returns when it must be looked at again although nothing changes (its progress deadline).</summary>
    public TimeSpan? Sync(string ns, string name)
    {
        var store = registry.Store;
        lock (store.Sync)
        {
            if (store.GetUnlocked(BuiltInResources.Deployments.GroupResource, ns, name) is not { IsDeleting: false } stored) return null;
            var run = new Run(registry, time, stored);
            if (run.Paused) run.FollowReplicasWhilePaused();
            else if (run.Recreate) run.RecreateStep();
            else run.RollingStep();
            return run.Finish();
        }
    }

    private sealed class Run
    {
        private readonly ObjectRegistry _registry;
        private readonly ObjectStore _store;
        private readonly TimeProvider _time;
        private StoredObject _stored;
        private readonly JsonObject _deployment;
        private readonly JsonObject _spec;
        private readonly List<ReplicaSetView> _all;
        private readonly List<ReplicaSetView> _old;
        private ReplicaSetView? _new;
        private string? _createdNew;
        private long _collisionCount;

        public Run(ObjectRegistry registry, TimeProvider time, StoredObject stored)
        {
            _registry = registry;
            _store = registry.Store;
            _time = time;
            _stored = stored;
            _deployment = stored.ToJsonObject();
            _spec = _deployment["spec"] as JsonObject ?? new JsonObject();
            _collisionCount = _deployment["status"].Long("collisionCount") ?? 0;
            _all = Ownership.Controlled(_store, stored, BuiltInResources.ReplicaSets)
                .Select(x => new ReplicaSetView(x.Stored, x.Json))
                .OrderBy(r => r.Created).ThenBy(r => r.Revision).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
            _new = _all.FirstOrDefault(r => PodTemplateHash.SameTemplate(Template, r.Json["spec"]?["template"]));
            _old = _all.Where(r => r != _new).ToList();
        }

        private JsonNode? Template => _spec["template"];
        private string Namespace => _stored.Namespace;
        private string Name => _stored.Name;
        private int Replicas => (int)(_spec.Long("replicas") ?? 1);
        private long MinReadySeconds => _spec.Long("minReadySeconds") ?? 0;
        public bool Paused => _spec["paused"] is JsonValue v && v.TryGetValue<bool>(out var paused) && paused;
        public bool Recreate => _spec["strategy"].Str("type") == "Recreate";

        private (int MaxSurge, int MaxUnavailable) Bounds =>
            Recreate ? (0, 0) : RollingUpdate.Bounds(_spec["strategy"]?["rollingUpdate"]?["maxSurge"], _spec["strategy"]?["rollingUpdate"]?["maxUnavailable"], Replicas);

        // ------------------------------------------------------------ strategies (one step each)

        public void RollingStep()
        {
            var (maxSurge, maxUnavailable) = Bounds;
            if (_new is null)
            {
                CreateNewReplicaSet(RollingUpdate.NewReplicaSetReplicas(Replicas, maxSurge, _old.Sum(r => r.ReplicasForSurge), 0));
                return;
            }
            if (SyncNewReplicaSet(_new)) return;
            var target = RollingUpdate.NewReplicaSetReplicas(Replicas, maxSurge, _all.Sum(r => r.ReplicasForSurge), _new.Replicas);
            if (target != _new.Replicas)
            {
                Scale(_new, target);
                return;
            }
            var oldTargets = RollingUpdate.OldReplicaSetReplicas(Replicas, maxUnavailable, _new.Replicas, _new.AvailableForRollout,
                _old.Select(r => (r.Replicas, r.AvailableForRollout)).ToList());
            var scaled = false;
            for (var i = 0; i < _old.Count; i++)
                if (oldTargets[i] != _old[i].Replicas)
                {
                    Scale(_old[i], oldTargets[i]);
                    scaled = true;
                }
            if (!scaled && Complete(Counts())) DeleteOldHistory();
        }

        public void RecreateStep()
        {
            var active = _old.Where(r => r.Replicas > 0).ToList();
            if (active.Count > 0)
            {
                foreach (var rs in active) Scale(rs, 0);
                return;
            }
            // The documented promise: every old pod is gone before a new one is created.
            if (_old.Any(rs => Ownership.Controlled(_store, rs.Stored, BuiltInResources.Pods).Any(p => !PodState.IsFinished(p.Json)))) return;
            if (_new is null)
            {
                CreateNewReplicaSet(Replicas);
                return;
            }
            if (SyncNewReplicaSet(_new)) return;
            if (_new.Replicas != Replicas)
            {
                Scale(_new, Replicas);
                return;
            }
            if (Complete(Counts())) DeleteOldHistory();
        }

        /// <summary>
        /// A paused Deployment rolls nothing out but still follows its replicas when one ReplicaSet runs the pods
        /// (spreading a change over several, proportional scaling, is not emulated).
        /// </summary>
        public void FollowReplicasWhilePaused()
        {
            if (_new is not null && SyncNewReplicaSet(_new)) return;
            var active = _all.Where(r => r.Replicas > 0).ToList();
            var only = active.Count switch
            {
                0 => _new,
                1 => active[0],
                _ => null,
            };
            if (only is not null && only.Replicas != Replicas) Scale(only, Replicas);
        }

        // ------------------------------------------------------------ ReplicaSets

        private void CreateNewReplicaSet(int replicas)
        {
            var hash = PodTemplateHash.Compute(Template, _collisionCount);
            var rsName = $"{Name}-{hash}";
            if (_store.GetUnlocked(BuiltInResources.ReplicaSets.GroupResource, Namespace, rsName) is not null)
            {
                // The name is taken by a ReplicaSet with another template: the next sync hashes with a new count.
                _collisionCount++;
                return;
            }
            var selector = _spec["selector"]?.DeepClone() as JsonObject ?? new JsonObject();
            selector.Obj("matchLabels")[PodTemplateHash.Label] = hash;
            var template = PodTemplateHash.Labelled(Template, hash);
            var labels = template["metadata"]?["labels"]?.DeepClone();
            var revision = (_old.Count == 0 ? 0 : _old.Max(r => r.Revision)) + 1;
            var body = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = rsName,
                    ["namespace"] = Namespace,
                    ["labels"] = labels,
                    ["annotations"] = new JsonObject
                    {
                        [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                        [DesiredReplicasAnnotation] = Replicas.ToString(CultureInfo.InvariantCulture),
                        [MaxReplicasAnnotation] = (Replicas + Bounds.MaxSurge).ToString(CultureInfo.InvariantCulture),
                    },
                    ["ownerReferences"] = new JsonArray(Ownership.ControllerReference(BuiltInResources.Deployments, _stored)),
                },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = replicas,
                    ["minReadySeconds"] = MinReadySeconds,
                    ["selector"] = selector,
                    ["template"] = template,
                },
            };
            try
            {
                var created = _registry.Create(BuiltInResources.ReplicaSets, Namespace, body, Writer());
                _new = new ReplicaSetView(created, created.ToJsonObject());
                _all.Add(_new);
                _createdNew = rsName;
            }
            catch (ApiError e) when (e.Code == 409)
            {
                _collisionCount++;
            }
        }

        /// <summary>
        /// The new ReplicaSet carries the latest revision (a template rolled back to gets a new one) and the
        /// Deployment's minReadySeconds; true when it had to be written.
        /// </summary>
        private bool SyncNewReplicaSet(ReplicaSetView rs)
        {
            var revision = (_old.Count == 0 ? 0 : _old.Max(r => r.Revision)) + 1;
            var revisionBehind = rs.Revision < revision;
            var minReadyDiffers = (rs.Json["spec"].Long("minReadySeconds") ?? 0) != MinReadySeconds;
            if (!revisionBehind && !minReadyDiffers) return false;
            var candidate = (JsonObject)rs.Json.DeepClone();
            if (revisionBehind) candidate.Metadata().Obj("annotations")[RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture);
            if (minReadyDiffers) candidate.Obj("spec")["minReadySeconds"] = MinReadySeconds;
            Update(rs, candidate);
            return true;
        }

        private void Scale(ReplicaSetView rs, int replicas)
        {
            var candidate = (JsonObject)rs.Json.DeepClone();
            candidate.Obj("spec")["replicas"] = replicas;
            var annotations = candidate.Metadata().Obj("annotations");
            annotations[DesiredReplicasAnnotation] = Replicas.ToString(CultureInfo.InvariantCulture);
            annotations[MaxReplicasAnnotation] = (Replicas + Bounds.MaxSurge).ToString(CultureInfo.InvariantCulture);
            Update(rs, candidate);
        }

        private void Update(ReplicaSetView rs, JsonObject candidate) =>
            _registry.CommitUpdate(BuiltInResources.ReplicaSets, rs.Stored, candidate, null, Writer(), apply: false);

        /// <summary>Old ReplicaSets beyond revisionHistoryLimit (10 by default) that run nothing go, lowest revision first.</summary>
        private void DeleteOldHistory()
        {
            var limit = (int)(_spec.Long("revisionHistoryLimit") ?? 10);
            var candidates = _old.Where(r => !r.Stored.IsDeleting).OrderBy(r => r.Revision).ToList();
            for (var i = 0; i < candidates.Count - limit; i++)
            {
                var rs = candidates[i];
                if (rs.Replicas != 0 || rs.StatusReplicas != 0 || !rs.StatusCurrent) continue;
                _registry.DeleteUnlocked(rs.Stored, new DeleteRequest());
            }
        }

        // ------------------------------------------------------------ status

        private sealed record StatusCounts(int Replicas, int Updated, int Ready, int Available);

        private StatusCounts Counts() => new(
            _all.Sum(r => r.StatusReplicas),
            _new?.StatusReplicas ?? 0,
            _all.Sum(r => r.Ready),
            _all.Sum(r => r.Available));

        /// <summary>The documented "complete": every replica updated and available, no old pods left.</summary>
        private bool Complete(StatusCounts counts) =>
            _new is not null && counts.Updated == Replicas && counts.Replicas == Replicas && counts.Available == Replicas;

        /// <summary>Writes the revision annotation and the status; returns when to look at the progress deadline again.</summary>
        public TimeSpan? Finish()
        {
            SyncRevisionAnnotation();
            var now = _time.GetUtcNow();
            var previous = _deployment["status"] as JsonObject ?? new JsonObject();
            var counts = Counts();
            var complete = Complete(counts);
            var status = new JsonObject { ["observedGeneration"] = _deployment["metadata"].Long("generation") ?? 1 };
            SetCount(status, "replicas", counts.Replicas);
            SetCount(status, "updatedReplicas", counts.Updated);
            SetCount(status, "readyReplicas", counts.Ready);
            SetCount(status, "availableReplicas", counts.Available);
            SetCount(status, "unavailableReplicas", Math.Max(0, Replicas - counts.Available));

            var conditions = new DeploymentConditions(previous["conditions"] as JsonArray, now);
            var minimum = Replicas - Bounds.MaxUnavailable;
            if (counts.Available >= minimum)
                conditions.Set("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
            else
                conditions.Set("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
            var requeue = Progressing(conditions, previous, counts, complete, now);
            status["conditions"] = conditions.ToJson();
            if (_collisionCount > 0) status["collisionCount"] = _collisionCount;

            if (!JsonNode.DeepEquals(previous, status))
            {
                var candidate = _stored.ToJsonObject();
                candidate["status"] = status;
                _registry.CommitUpdate(BuiltInResources.Deployments, _stored, candidate, "status", Writer(), apply: false);
            }
            return requeue;
        }

        private TimeSpan? Progressing(DeploymentConditions conditions, JsonObject previous, StatusCounts counts, bool complete, DateTimeOffset now)
        {
            var subject = _new is null ? $"Deployment \"{Name}\"" : $"ReplicaSet \"{_new.Name}\"";
            var current = conditions.Get("Progressing");
            if (Paused)
            {
                conditions.Set("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused");
                return null;
            }
            if (current.Str("reason") == "DeploymentPaused")
            {
                conditions.Set("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed");
                return null;
            }
            var oldBefore = (previous.Long("replicas") ?? 0) - (previous.Long("updatedReplicas") ?? 0);
            var progressed = counts.Updated > (previous.Long("updatedReplicas") ?? 0)
                || counts.Replicas - counts.Updated < oldBefore
                || counts.Ready > (previous.Long("readyReplicas") ?? 0)
                || counts.Available > (previous.Long("availableReplicas") ?? 0);
            if (complete)
                conditions.Set("Progressing", "True", "NewReplicaSetAvailable", $"{subject} has successfully progressed.");
            else if (_createdNew is not null)
                conditions.Set("Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{_createdNew}\"");
            else if (progressed)
                conditions.Set("Progressing", "True", "ReplicaSetUpdated", $"{subject} is progressing.", refresh: true);
            else if (current is null && _new is not null)
                conditions.Set("Progressing", "True", "FoundNewReplicaSet", $"Found new replica set \"{_new.Name}\"");
            if (complete) return null;

            // progressDeadlineSeconds (600 by default): no progress for that long turns Progressing False.
            var progressing = conditions.Get("Progressing");
            if (progressing?.Str("status") != "True" || KubeTime.Parse(progressing.Str("lastUpdateTime")) is not { } lastProgress) return null;
            var deadline = lastProgress.AddSeconds(_spec.Long("progressDeadlineSeconds") ?? 600);
            if (deadline < now)
            {
                conditions.Set("Progressing", "False", "ProgressDeadlineExceeded", $"{subject} has timed out progressing.");
                return null;
            }
            return deadline - now + TimeSpan.FromSeconds(1);
        }

        private void SyncRevisionAnnotation()
        {
            if (_new is null) return;
            var revision = _store.GetUnlocked(BuiltInResources.ReplicaSets.GroupResource, Namespace, _new.Name) is { } rs
                ? new ReplicaSetView(rs, rs.ToJsonObject()).Revision
                : _new.Revision;
            var text = revision.ToString(CultureInfo.InvariantCulture);
            if (_deployment["metadata"]?["annotations"].Str(RevisionAnnotation) == text) return;
            var candidate = _stored.ToJsonObject();
            candidate.Metadata().Obj("annotations")[RevisionAnnotation] = text;
            _stored = _registry.CommitUpdate(BuiltInResources.Deployments, _stored, candidate, null, Writer(), apply: false);
        }

        private static void SetCount(JsonObject status, string field, int value)
        {
            // The API omits zero counts (omitempty).
            if (value != 0) status[field] = value;
        }

        private static WriteOptions Writer() => WriteOptions.Internal(ObjectRegistry.ControllerManager);
    }
}
