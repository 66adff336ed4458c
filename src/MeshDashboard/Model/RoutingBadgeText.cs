using MeshDashboard.Mesh.Catalog;
using MudBlazor;

namespace MeshDashboard.Model;

/// <summary>The badges the overview shows for a service's routing traits, and the words for a row's workload role.</summary>
public static class RoutingBadgeText
{
    public static IEnumerable<(string Text, Color Color)> For(RoutingTraits traits, string? canaryText)
    {
        if (traits.HasFlag(RoutingTraits.SingleSubset))
        {
            yield return ("single subset", Color.Default);
        }
        if (traits.HasFlag(RoutingTraits.Canary))
        {
            yield return (canaryText ?? "canary", Color.Primary);
        }
        if (traits.HasFlag(RoutingTraits.DarkLaunch))
        {
            yield return ("dark launch", Color.Secondary);
        }
        if (traits.HasFlag(RoutingTraits.BlueGreen))
        {
            yield return ("blue/green", Color.Info);
        }
        if (traits.HasFlag(RoutingTraits.Mirror))
        {
            yield return ("mirror", Color.Tertiary);
        }
        if (traits.HasFlag(RoutingTraits.Fault))
        {
            yield return ("fault", Color.Error);
        }
        if (traits.HasFlag(RoutingTraits.CircuitBreaker))
        {
            yield return ("circuit breaker", Color.Warning);
        }
    }

    /// <summary>What a row says about a workload that is not an application; null for an app.</summary>
    public static string? RoleText(WorkloadRole role) => role switch
    {
        WorkloadRole.Gateway => "gateway",
        WorkloadRole.System => "system",
        _ => null,
    };
}
