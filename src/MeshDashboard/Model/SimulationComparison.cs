using System.Collections.Immutable;
using System.Globalization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Simulation;

namespace MeshDashboard.Model;

/// <summary>
/// One request simulated on the mesh as it is and as a previewed change would leave it, for the preview dialog:
/// "after this change, jason's requests go to v2". Both sides come from the same simulator as the Simulate tab and
/// <c>POST /api/simulate</c>.
/// </summary>
public sealed record SimulationComparison(SimulationView Now, SimulationView After)
{
    /// <summary>Whether the change moves this request anywhere: destinations, mirrors, fault, timeout, retries or outcome.</summary>
    public bool Changes =>
        Now.Outcome != After.Outcome || Now.Fault != After.Fault || Now.Timeout != After.Timeout || Now.Retries != After.Retries
        || !Now.Destinations.SequenceEqual(After.Destinations) || !Now.Mirrors.SequenceEqual(After.Mirrors);

    /// <summary>The comparison in one sentence.</summary>
    public string Sentence => Changes
        ? $"After this change this request goes to {Where(After)}; now it goes to {Where(Now)}."
        : $"This change does not change this request: it goes to {Where(Now)}.";

    public static SimulationComparison Of(MeshSnapshot before, MeshSnapshot after, SimulatedRequest request, IReadOnlyList<string> subsetOrder) => new(
        SimulationView.From(RequestSimulator.Simulate(before, request), subsetOrder),
        SimulationView.From(RequestSimulator.Simulate(after, request), subsetOrder));

    private static string Where(SimulationView view) => view.Outcome switch
    {
        SimulationOutcome.Routed or SimulationOutcome.ServiceDefault when !view.Destinations.IsEmpty =>
            string.Join(", ", view.Destinations.Select(d => $"{d.Subset ?? d.Host} {d.Percent.ToString("0.##", CultureInfo.InvariantCulture)}%"))
                + (view.Fault is { } fault ? $" (fault: {fault})" : ""),
        _ => $"no subset ({view.Headline.TrimEnd('.')})",
    };

    /// <summary>
    /// A request worth trying first: one the change's new or edited rule catches (its exact header and URI values),
    /// so the dialog opens on the request the change is about; a plain request to the service when no rule
    /// names values to send.
    /// </summary>
    public static SimulationFormModel SuggestedRequest(MeshService before, MeshService? after)
    {
        var model = SimulationFormModel.For(before);
        var known = (before.MeshRoute?.VirtualService.Http ?? []).Select(r => r.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var rules = after?.MeshRoute?.VirtualService.Http ?? before.MeshRoute?.VirtualService.Http ?? [];
        var rule = rules.FirstOrDefault(r => !r.IsCatchAll && !known.Contains(r.Fingerprint)) ?? rules.FirstOrDefault(r => !r.IsCatchAll);
        if (rule?.Matches.FirstOrDefault() is not { } match)
        {
            return model;
        }
        var headers = match.Headers
            .Where(h => h.Match.Kind is MatchKind.Exact or MatchKind.Prefix)
            .Select(h => new KeyValueRow(h.Name, h.Match.Value))
            .ToImmutableArray();
        var path = match.Uri is { Kind: MatchKind.Exact or MatchKind.Prefix } uri ? uri.Value : model.Path;
        return model with
        {
            Path = path,
            Headers = headers.IsEmpty ? model.Headers : headers,
            Method = match.Method is { Kind: MatchKind.Exact } method && SimulationFormModel.Methods.Contains(method.Value) ? method.Value : model.Method,
        };
    }
}
