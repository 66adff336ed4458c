using System.Collections.Immutable;

namespace MeshDashboard.Model;

/// <summary>
/// The overview's search and namespace filter, applied to immutable rows. No namespaces chosen means all of them.
/// </summary>
public sealed record OverviewFilter(string? Search, ImmutableSortedSet<string> Namespaces)
{
    public ImmutableArray<ServiceRow> Apply(IEnumerable<ServiceRow> rows) =>
    [
        .. rows.Where(r =>
            (Namespaces.IsEmpty || Namespaces.Contains(r.Namespace)) &&
            (string.IsNullOrWhiteSpace(Search) ||
             r.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase) ||
             r.Namespace.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase) ||
             r.RoutingSummary.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase) ||
             r.Subsets.Any(s => s.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase))))
            .OrderBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal),
    ];

    /// <summary>How the namespace picker reads: "All namespaces", or the chosen ones.</summary>
    public string NamespacesText => Namespaces.IsEmpty ? "All namespaces" : string.Join(", ", Namespaces);
}
