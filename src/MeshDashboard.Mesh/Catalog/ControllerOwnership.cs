using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Catalog;

/// <summary>
/// Tells when another controller owns a service's routing. Flagger marks its VirtualServices and
/// DestinationRules with an ownerReference to a <c>flagger.app</c> Canary; Argo Rollouts rewrites the
/// VirtualServices a Rollout names. Both revert hand edits, so such services are read-only here.
/// </summary>
public static class ControllerOwnership
{
    /// <summary>Set on a VirtualService that an Argo Rollout names in trafficRouting.istio; the value is the Rollout's name.</summary>
    public const string ArgoRolloutsAnnotation = "meshdashboard.io/argo-rollout";

    private static readonly ConditionalWeakTable<MeshSnapshot, IReadOnlyDictionary<ObjectRef, string>> RolloutTargetsBySnapshot = [];

    public static string? ManagedBy(IEnumerable<KubeObject> objects, MeshSnapshot? snapshot = null)
    {
        foreach (var obj in objects)
        {
            if (ManagedBy(obj, snapshot) is { } reason)
            {
                return reason;
            }
        }
        return null;
    }

    /// <summary>
    /// The VirtualServices and DestinationRules that Argo Rollouts in the snapshot name in
    /// <c>spec.strategy.canary.trafficRouting.istio</c> (<c>virtualService</c>, <c>virtualServices[]</c>,
    /// <c>destinationRule</c>), with the Rollout's name. Computed once per snapshot.
    /// </summary>
    public static IReadOnlyDictionary<ObjectRef, string> RolloutTargets(MeshSnapshot snapshot) =>
        RolloutTargetsBySnapshot.GetValue(snapshot, s =>
        {
            var targets = new Dictionary<ObjectRef, string>();
            foreach (var rollout in s.Of(ResourceKind.Rollout))
            {
                var istio = rollout.Spec.Obj("strategy").Obj("canary").Obj("trafficRouting").Obj("istio");
                var virtualServices = (istio.Arr("virtualServices") ?? []).Append(istio.Obj("virtualService")).OfType<JsonObject>();
                foreach (var vs in virtualServices)
                {
                    if (vs.Str("name") is { Length: > 0 } name)
                    {
                        targets[new ObjectRef(ResourceKind.VirtualService, rollout.Namespace, name)] = rollout.Name;
                    }
                }
                if (istio.Obj("destinationRule").Str("name") is { Length: > 0 } dr)
                {
                    targets[new ObjectRef(ResourceKind.DestinationRule, rollout.Namespace, dr)] = rollout.Name;
                }
            }
            return targets;
        });

    public static string? ManagedBy(KubeObject obj, MeshSnapshot? snapshot = null)
    {
        if (snapshot is not null && RolloutTargets(snapshot).TryGetValue(obj.Ref, out var rolloutName))
        {
            return $"Argo Rollouts (Rollout {rolloutName}) rewrites {obj.Kind} {obj.Name} during its canary steps; it reverts edits made here.";
        }
        foreach (var owner in obj.OwnerReferences)
        {
            if (owner.ApiVersion.StartsWith("flagger.app/", StringComparison.Ordinal))
            {
                return $"Flagger (Canary {owner.Name}) owns {obj.Kind} {obj.Name}; it reverts edits made here.";
            }
            if (owner.ApiVersion.StartsWith("argoproj.io/", StringComparison.Ordinal))
            {
                return $"Argo Rollouts ({owner.Kind} {owner.Name}) owns {obj.Kind} {obj.Name}; it reverts edits made here.";
            }
        }
        if (obj.Annotations.TryGetValue(ArgoRolloutsAnnotation, out var rollout))
        {
            return $"Argo Rollouts (Rollout {rollout}) rewrites the weights of {obj.Kind} {obj.Name}; it reverts edits made here.";
        }
        if (obj.Labels.TryGetValue("app.kubernetes.io/managed-by", out var manager) && manager is "flagger" or "argo-rollouts")
        {
            return $"{manager} manages {obj.Kind} {obj.Name} (label app.kubernetes.io/managed-by); it reverts edits made here.";
        }
        return null;
    }
}
