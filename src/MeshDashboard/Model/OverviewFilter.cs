using System.Collections.Immutable;

namespace MeshDashboard.Model;

/// <summary>The overview's search and namespace filter, applied to immutable rows.</summary>
public sealed record OverviewFilter(string? Search, string? Namespace)
{
    public const string AllNamespaces = "All namespaces";

    public ImmutableArray<ServiceRow> Apply(IEnumerable<ServiceRow> rows) =>
    [
        .. rows.Where(r =>
            (string.IsNullOrEmpty(Namespace) || Namespace == AllNamespaces || r.Namespace == Namespace) &&
            (string.IsNullOrWhiteSpace(Search) ||
             r.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase) ||
             r.Namespace.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase) ||
             r.RoutingSummary.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase) ||
             r.Subsets.Any(s => s.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase))))
            .OrderBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal),
    ];
}
