using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Rollouts;

/// <summary>
/// The canary of a service another controller drives (Argo Rollouts or Flagger), shown read-only: who drives it, its step
/// when an Argo Rollout's status says (<c>status.currentStepIndex</c> of <c>spec.strategy.canary.steps</c>, as Argo
/// Rollouts' own API reference names them), and the weights its routes carry now.
/// </summary>
public sealed record ExternalCanary(string Owner, string? RolloutName, int? Step, int? Steps, int? StepWeight, ImmutableArray<string> Weights)
{
    /// <summary>Null when nobody else owns the service's routing.</summary>
    public static ExternalCanary? Of(MeshService service, MeshSnapshot snapshot)
    {
        if (service.ManagedBy is not { } owner)
        {
            return null;
        }
        var weights = service.MeshRoute?.VirtualService.Http.FirstOrDefault(r => r.IsCatchAll)?.Destinations
            .Select(d => $"{d.Subset ?? d.Host} {d.Weight ?? 100}%").ToImmutableArray() ?? [];
        var targets = ControllerOwnership.RolloutTargets(snapshot);
        var rolloutName = service.Routes.Select(r => targets.GetValueOrDefault(r.VirtualService.Source.Ref)).FirstOrDefault(n => n is not null);
        if (rolloutName is null || snapshot.Find(ResourceKind.Rollout, service.Namespace, rolloutName) is not { } rollout)
        {
            return new ExternalCanary(owner, null, null, null, null, weights);
        }
        var steps = rollout.Spec.Obj("strategy").Obj("canary")?["steps"] as System.Text.Json.Nodes.JsonArray;
        var index = rollout.Raw.Obj("status").Int("currentStepIndex");
        int? stepWeight = null;
        if (steps is not null && index is { } i && i >= 0 && i < steps.Count)
        {
            // The weight of the latest setWeight at or before the current step.
            stepWeight = (int?)steps.Take((int)i + 1).Select(s => s.Int("setWeight")).LastOrDefault(w => w is not null);
        }
        return new ExternalCanary(owner, rolloutName, index is { } step ? (int)step + 1 : null, steps?.Count, stepWeight, weights);
    }
}
