using System.Collections.Immutable;
using System.Globalization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>
/// A rule of the service's mesh VirtualService that a per-rule form (timeout and retries, mirror) can edit, with the
/// rule as it was read: the form loads its values from <see cref="Rule"/> and sends <see cref="Origin"/>, so a rule
/// that changed in between is refused rather than overwritten.
/// </summary>
public sealed record RuleChoice(string Key, string Label, string Conditions, HttpRouteView Rule, RuleOrigin Origin)
{
    /// <summary>The mesh VirtualService's HTTP rules in spec order; empty when the service has none.</summary>
    public static ImmutableArray<RuleChoice> AllOf(MeshService service) =>
        [.. (service.MeshRoute?.Rules ?? []).Select(r => new RuleChoice(
            r.Name ?? (r.Index + 1).ToString(CultureInfo.InvariantCulture),
            r.Label,
            r.IsCatchAll ? "everyone else" : string.Join(" or ", r.Matches.Select(m => m.Describe())),
            r,
            new RuleOrigin(r.Index, r.Fingerprint)))];
}
