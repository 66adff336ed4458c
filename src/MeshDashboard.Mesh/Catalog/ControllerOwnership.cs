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

    public static string? ManagedBy(IEnumerable<KubeObject> objects)
    {
        foreach (var obj in objects)
        {
            if (ManagedBy(obj) is { } reason)
            {
                return reason;
            }
        }
        return null;
    }

    public static string? ManagedBy(KubeObject obj)
    {
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
